"""The snippet picker the composer opens (Ctrl+S): search, preview, insert.

The picker only ever puts text into the composer, where the agent reads and
edits it before pressing Enter: a canned reply is never sent from here.  The
preview shows the reply filled from the open conversation's contact, with the
placeholders that still need a value highlighted; the same list goes to the
composer's notice after inserting (:func:`insert_snippet`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sendbee_tui.tui import keys
from sendbee_tui.tui.safe_text import clean, literal
from sendbee_tui.tui.snippets import (
    PLACEHOLDER_HELP,
    ContactValues,
    Filled,
    SnippetMatch,
    fill,
    first_line,
    search,
)
from sendbee_tui.tui.widgets.composer import Composer
from sendbee_tui.tui.widgets.record_list import SearchInput

__all__ = ["FILL_IN_PREFIX", "SnippetPicker", "insert_snippet", "missing_notice"]

log = logging.getLogger(__name__)

#: How the composer's notice about unfilled placeholders starts (so a later
#: snippet with everything filled knows the notice is ours to clear).
FILL_IN_PREFIX = "Fill in before sending: "


def missing_notice(missing: tuple[str, ...]) -> Content:
    """The composer notice naming the placeholders still in the text (literal)."""
    return Content.assemble(FILL_IN_PREFIX, literal(", ".join(missing), "bold"))


def preview_content(filled: Filled) -> Content:
    """The filled text with its unfilled placeholders highlighted, never parsed as markup."""
    parts = [
        literal(text, "bold reverse $warning" if missing else "") for text, missing in filled.parts
    ]
    return Content.assemble(*parts) if parts else Content("")


def name_content(match: SnippetMatch) -> Content:
    """A snippet's name with the letters the query matched underlined (literal text)."""
    shown = clean(match.name)
    content = Content(shown).stylize("bold")
    if shown != match.name:  # cleaning moved letters: do not highlight the wrong ones
        return content
    for offset in match.name_positions:
        content = content.stylize("underline $accent", offset, offset + 1)
    return content


def _goto_label(app: Any) -> str:
    """How to open the snippets screen with the keys in force (``g s``)."""
    keymap = getattr(getattr(app, "config", None), "keymap", None)
    prefix = keys.key_label(keys.keys_for("inbox.goto", keymap)).split(" / ")[0]
    key = keys.key_label(keys.keys_for("goto.snippets", keymap)).split(" / ")[0]
    return f"{prefix} {key}"


class SnippetPicker(ModalScreen[Filled | None]):
    """Choose a canned reply; dismisses with it filled in, or ``None`` (Escape).

    Args:
        values: The open conversation's contact, for the placeholders.
        snippets: name -> text; by default the running app's ``config.snippets``.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("snippet_picker")
    DEFAULT_CSS = """
    SnippetPicker { align: center middle; background: $background 60%; }
    SnippetPicker #snippet-dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    SnippetPicker .dialog-title { text-style: bold; padding: 0 0 1 0; }
    SnippetPicker #snippet-search { background: $boost; margin-bottom: 1; }
    SnippetPicker #snippet-search:focus { background: $primary 20%; }
    SnippetPicker OptionList { height: auto; max-height: 8; }
    SnippetPicker #snippet-preview {
        height: auto; max-height: 5; margin-top: 1; padding: 0 1;
        background: $boost; overflow-y: hidden;
    }
    SnippetPicker #snippet-preview.-empty { max-height: 100%; background: $surface; }
    SnippetPicker #snippet-hint { height: auto; color: $text-muted; margin-top: 1; }
    SnippetPicker #snippet-hint.-warning { color: $warning; }
    """

    def __init__(self, values: ContactValues, snippets: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.values = values
        self._snippets = snippets
        self.matches: list[SnippetMatch] = []

    @property
    def snippets(self) -> Mapping[str, str]:
        """The snippets offered (given, else the app's config, read when asked)."""
        if self._snippets is not None:
            return self._snippets
        config = getattr(self.app, "config", None)
        return getattr(config, "snippets", None) or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="snippet-dialog"):
            yield Label(literal("Insert a snippet"), classes="dialog-title")
            yield SearchInput(
                placeholder="Search snippets by name or text",
                id="snippet-search",
                target="#snippet-options",
                compact=True,
            )
            yield OptionList(id="snippet-options", compact=True)
            yield Static("", id="snippet-preview")
            yield Static("", id="snippet-hint")
        yield Footer()

    def on_mount(self) -> None:
        search_box = self.query_one("#snippet-search", Input)
        search_box.cursor_blink = False
        if not self.snippets:
            self._show_empty()
            return
        self._refresh_matches("")
        search_box.focus()

    def _show_empty(self) -> None:
        """No snippets configured: say how to add them instead of an empty list."""
        self.query_one("#snippet-search").display = False
        self.query_one("#snippet-options").display = False
        config = getattr(self.app, "config", None)
        paths = getattr(config, "paths", None)
        where = str(paths.config_file) if paths is not None else "config.toml"
        message = (
            "No snippets yet.\n\n"
            f"Add canned replies on the Snippets screen ({_goto_label(self.app)} in the "
            f"inbox, or Ctrl+P “Snippets”), or in {where} under [snippets]:\n\n"
            'thanks = "Thank you {first_name}! We will get back to you shortly."\n\n'
            + PLACEHOLDER_HELP
        )
        preview = self.query_one("#snippet-preview", Static)
        preview.add_class("-empty")
        preview.update(literal(message))
        self.query_one("#snippet-hint", Static).update(literal("Esc close"))

    # -- search and preview ------------------------------------------------------

    def _refresh_matches(self, query: str) -> None:
        self.matches = search(self.snippets, query)
        options = self.query_one("#snippet-options", OptionList)
        options.set_options(
            Option(
                Content.assemble(
                    name_content(match),
                    "  ",
                    literal(first_line(match.text, 48), "$text-muted"),
                ),
                id=str(index),
            )
            for index, match in enumerate(self.matches)
        )
        options.highlighted = 0 if self.matches else None
        self._show_preview()

    @property
    def highlighted(self) -> SnippetMatch | None:
        """The snippet under the list's cursor."""
        index = self.query_one("#snippet-options", OptionList).highlighted
        if index is None or not 0 <= index < len(self.matches):
            return None
        return self.matches[index]

    def _show_preview(self) -> None:
        preview = self.query_one("#snippet-preview", Static)
        hint = self.query_one("#snippet-hint", Static)
        match = self.highlighted
        if match is None:
            preview.update(literal("No snippet matches."))
            hint.update(literal("Esc cancel"))
            hint.remove_class("-warning")
            return
        filled = fill(match.text, self.values)
        preview.update(preview_content(filled))
        if filled.missing:
            hint.update(
                literal(f"Still to fill: {', '.join(filled.missing)} · Enter insert · Esc cancel")
            )
        else:
            hint.update(literal("Enter insert (you can edit it before sending) · Esc cancel"))
        hint.set_class(bool(filled.missing), "-warning")

    @on(Input.Changed, "#snippet-search")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh_matches(event.value)

    @on(OptionList.OptionHighlighted, "#snippet-options")
    def _highlight_changed(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_preview()

    # -- choosing ----------------------------------------------------------------

    @on(Input.Submitted, "#snippet-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.highlighted)

    @on(OptionList.OptionSelected, "#snippet-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self.highlighted)

    def _choose(self, match: SnippetMatch | None) -> None:
        if match is not None:
            self.dismiss(fill(match.text, self.values))

    def action_cancel(self) -> None:
        """Escape: back to the composer, nothing inserted."""
        self.dismiss(None)


def insert_snippet(composer: Composer, filled: Filled | None) -> None:
    """Put a chosen snippet into ``composer`` for editing; it is never sent from here.

    The text goes where the cursor is (replacing a selection, as typing would),
    or replaces the whole text when the composer holds nothing but blanks.  It
    is an ordinary edit, so Ctrl+Z takes it back and the draft is saved.  The
    notice names the placeholders still to fill; a notice of ours from an
    earlier snippet is cleared when this one left nothing to fill.
    """
    area = composer.input
    if filled is not None and not area.disabled:
        text = clean(filled.text)
        if area.text.strip():
            start, end = sorted(area.selection)
        else:
            start, end = (0, 0), area.document.end
        area.replace(text, start, end, maintain_selection_offset=False)
        notice = composer.query_one("#composer-notice", Static)
        if filled.missing:
            composer.set_notice(missing_notice(filled.missing), "warning")
        elif str(notice.render()).startswith(FILL_IN_PREFIX):
            composer.update_notice()
    area.focus()
