"""``?``: every key binding, from the key registry, with the keys in force.

Rows come from :func:`sendbee_tui.tui.keys.help_sections`: one heading per group
(each once), the keys after the user's ``[keymap]``, and each row's binding id
(dim) so the user knows what to write in ``[keymap]``.  The keys of the screen
help was opened from come first.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from sendbee_tui.tui import keys

__all__ = ["HelpScreen", "help_content", "scopes_on"]

#: Scopes that belong with another one: the inbox's ``g`` menu and pane cycling.
_WITH = {"inbox": ("goto", "panes")}

#: The help box's width (CSS below) and what its border, padding and scrollbar take.
_BOX_WIDTH = 80
_BOX_CHROME = 6
#: Narrowest description column before ids move to a line of their own.
_MIN_TEXT = 24


def scopes_on(screen: DOMNode) -> list[str]:
    """Registry scopes bound on ``screen`` and the widgets in it, in DOM order."""
    scopes: list[str] = []
    for node in (screen, *screen.walk_children()):
        for key_bindings in node._bindings.key_to_bindings.values():
            for binding in key_bindings:
                scope = (binding.id or "").split(".", 1)[0]
                if binding.id and scope not in scopes:
                    scopes.append(scope)
                    scopes += [s for s in _WITH.get(scope, ()) if s not in scopes]
    return scopes


def _rows(
    rows: list[tuple[str, str, str]], keys_width: int, width: int
) -> list[Content | str | tuple[str, str]]:
    """Keys, description and the dim id flush right; a long description wraps in its column."""
    indent = " " * (2 + keys_width + 2)
    parts: list[Content | str | tuple[str, str]] = []
    for label, text, binding_id in rows:
        text_width = width - len(indent) - 2 - len(binding_id)
        parts.append((f"  {label:<{keys_width}}  ", "$accent"))
        if text_width < _MIN_TEXT:  # a very narrow box: the id on a line of its own
            lines = textwrap.wrap(text, max(width - len(indent), 8)) or [""]
            parts += [f"{lines[0]}\n", *(f"{indent}{line}\n" for line in lines[1:])]
            parts += [indent, (binding_id, "dim"), "\n"]
            continue
        lines = textwrap.wrap(text, text_width) or [""]
        parts += [f"{lines[0]:<{text_width}}  ", (binding_id, "dim"), "\n"]
        parts += [f"{indent}{line}\n" for line in lines[1:]]
    return parts


def help_content(first: list[str], keymap: dict[str, str], width: int = 70) -> Content:
    """The help text for ``width`` columns: headings, keys in force, texts, dim ids."""
    parts: list[Content | str | tuple[str, str]] = [
        ("Keys", "bold $accent"),
        ("  the dim ids are what [keymap] in config.toml rebinds", "$text-muted"),
        "\n",
    ]
    sections = keys.help_sections(first, keymap)
    keys_width = max(len(label) for _heading, rows in sections for label, _t, _i in rows)
    for heading, rows in sections:
        parts += ["\n", (heading, "bold"), "\n", *_rows(rows, keys_width, width)]
    close = keys.spec_label("help.close", keymap)
    parts += ["\n", (f"{close} close", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """Modal list of bindings; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("help")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 100%; height: 90%; border: round $accent; background: $surface;
        padding: 0 1;
    }
    """

    def _screen_below(self) -> Screen[object] | None:
        """The screen help was opened from (its keys are listed first)."""
        stack = list(self.app.screen_stack)
        if self in stack:
            stack = stack[: stack.index(self)]
        return stack[-1] if stack else None

    def compose(self) -> ComposeResult:
        below = self._screen_below()
        self._first = scopes_on(below) if below is not None else []
        with VerticalScroll():
            yield Static(id="help-text")

    def on_resize(self) -> None:
        """Lay the columns out for the box's width (the box is narrower on small terminals)."""
        width = min(_BOX_WIDTH, self.size.width) - _BOX_CHROME
        text = help_content(self._first, keys.keymap_in_force(self.app), width)
        self.query_one("#help-text", Static).update(text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
