"""``?``: every key binding, from the key registry, with the keys in force.

Rows come from :func:`sendbee_tui.tui.keys.help_sections`: one heading per group
(each once), the keys after the user's ``[keymap]``, and each row's binding id
(dim) so the user knows what to write in ``[keymap]``.  The keys of the screen
help was opened from come first.
"""

from __future__ import annotations

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

#: Width of the keys column.
_KEYS_WIDTH = 16


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


def help_content(first: list[str], keymap: dict[str, str]) -> Content:
    """The help text: headings, keys in force, descriptions and dim binding ids."""
    parts: list[Content | str | tuple[str, str]] = [
        ("Keys", "bold $accent"),
        ("   ids (dim) are what to rebind in [keymap] of config.toml", "$text-muted"),
        "\n",
    ]
    for heading, rows in keys.help_sections(first, keymap):
        parts += ["\n", (heading, "bold"), "\n"]
        for label, text, binding_id in rows:
            parts += [(f"  {label:<{_KEYS_WIDTH}}", "$accent"), text, "  ", (binding_id, "dim")]
            parts.append("\n")
    close = keys.spec_label("help.close", keymap)
    parts += ["\n", (f"{close} close", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """Modal list of bindings; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("help")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 90%; border: round $accent; background: $surface;
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
        first = scopes_on(below) if below is not None else []
        with VerticalScroll():
            yield Static(help_content(first, keys.keymap_in_force(self.app)))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
