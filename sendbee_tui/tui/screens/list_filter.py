"""The filter dialog of the conversation list (``f``): tag, chatbot, 24-hour window, unread
(and, in a team session, claimed: mine / unclaimed).

One row per filter; ↑/↓ picks the row, ←/→ (or h/l, Space) changes its value,
Backspace sets it back to "any", Enter applies and Esc cancels.  On the tag row
typing a letter jumps to the next tag starting with it.  Four keys and no
nested widgets: the whole dialog works the same over SSH as in a local terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from sendbee_tui.tui import keys
from sendbee_tui.tui.inbox.filters import CLAIM_FILTERS, WINDOW_FILTERS, ListFilter

__all__ = ["FilterChoice", "ListFilterModal"]

_ANY = "any"


@dataclass(frozen=True)
class FilterChoice:
    """What the dialog returns: the filter and the unread-only switch."""

    filter: ListFilter
    unread_only: bool


class ListFilterModal(ModalScreen[FilterChoice | None]):
    """Pick the list's filters; dismisses with a :class:`FilterChoice` or None (cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("list_filter"))
    # The look is in styles/main.tcss: the app's ``Screen`` rule would beat DEFAULT_CSS.

    def __init__(
        self,
        current: ListFilter,
        *,
        unread_only: bool,
        tags: list[str],
        tags_note: str = "",
        claims: bool = False,
    ) -> None:
        """``claims``: a team session, where a "Claimed" row (mine / unclaimed) is offered."""
        super().__init__()
        self.tags = tags
        self.tags_note = tags_note
        self.values: dict[str, list[str]] = {
            "tag": [_ANY, *tags],
            "bot": [_ANY, "on", "off"],
            "window": [_ANY, *WINDOW_FILTERS],
        }
        if claims:
            self.values["claim"] = [_ANY, *CLAIM_FILTERS]
        self.values["unread"] = ["all", "unread only"]
        bot = _ANY if current.bot is None else ("on" if current.bot else "off")
        tag = current.tag if current.tag in tags else _ANY
        self.chosen: dict[str, str] = {
            "tag": tag,
            "bot": bot,
            "window": current.window or _ANY,
            "claim": current.claim if claims and current.claim in CLAIM_FILTERS else _ANY,
            "unread": "unread only" if unread_only else "all",
        }

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog"):
            yield Label("Filter conversations", id="filter-title")
            yield OptionList(*self._options(), id="filter-options")
            note = "←/→ change · ⌫ any · Enter apply · Esc cancel"
            if self.tags_note:
                note = f"{self.tags_note}\n{note}"
            yield Static(Content(note), id="filter-help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    # ------------------------------------------------------------------ rows

    _LABELS: ClassVar[dict[str, str]] = {
        "tag": "Tag",
        "bot": "Chatbot",
        "window": "24-hour window",
        "claim": "Claimed",
        "unread": "Show",
    }

    def _prompt(self, row: str) -> Content:
        value = self.chosen[row]
        shown = WINDOW_FILTERS.get(value, value) if row == "window" else value
        shown = CLAIM_FILTERS.get(value, value) if row == "claim" else shown
        style = "$text-muted" if value in (_ANY, "all") else "bold $accent"
        return Content.assemble(
            (f"{self._LABELS[row]:<15}", ""), "\u2039 ", (shown, style), " \u203a"
        )

    def _options(self) -> list[Option]:
        return [Option(self._prompt(row), id=row) for row in self.values]

    def _row(self) -> str | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return None
        return str(options.get_option_at_index(index).id)

    def _set(self, row: str, value: str) -> None:
        self.chosen[row] = value
        options = self.query_one(OptionList)
        options.replace_option_prompt(row, self._prompt(row))

    # ------------------------------------------------------------------ actions

    def action_step(self, delta: int) -> None:
        row = self._row()
        if row is None:
            return
        values = self.values[row]
        index = values.index(self.chosen[row]) if self.chosen[row] in values else 0
        self._set(row, values[(index + delta) % len(values)])

    def action_reset(self) -> None:
        row = self._row()
        if row is not None:
            self._set(row, self.values[row][0])

    def on_key(self, event: Key) -> None:
        """On the tag row, a letter jumps to the next tag that starts with it."""
        if self._row() != "tag" or not event.character or not event.character.isalnum():
            return
        if event.character in "hlx":
            return  # bound above
        event.stop()
        letter = event.character.casefold()
        tags = self.values["tag"]
        start = tags.index(self.chosen["tag"]) if self.chosen["tag"] in tags else 0
        for offset in range(1, len(tags) + 1):
            candidate = tags[(start + offset) % len(tags)]
            if candidate != _ANY and candidate.casefold().startswith(letter):
                self._set("tag", candidate)
                return

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        chosen = self.chosen
        bot = None if chosen["bot"] == _ANY else chosen["bot"] == "on"
        self.dismiss(
            FilterChoice(
                ListFilter(
                    tag=None if chosen["tag"] == _ANY else chosen["tag"],
                    bot=bot,
                    window=None if chosen["window"] == _ANY else chosen["window"],
                    claim=None if chosen["claim"] == _ANY else chosen["claim"],
                ),
                unread_only=chosen["unread"] == "unread only",
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
