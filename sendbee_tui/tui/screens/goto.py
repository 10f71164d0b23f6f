"""The ``g`` prefix of the inbox (like mutt/aerc): the next key picks where to go.

The menu's keys, and the hint line that lists them, are the key registry's
``goto.*`` specs with the user's ``[keymap]`` applied: rebinding
``goto.contacts`` changes both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from sendbee_tui.tui import keys

__all__ = ["GotoScreen", "goto_hint", "goto_keys"]

#: The menu's entries, in the order the hint lists them.
GOTO_IDS: tuple[str, ...] = tuple(i for i, s in keys.SPECS.items() if s.scope == "goto")


def goto_keys(keymap: Mapping[str, str] | None = None) -> set[str]:
    """Textual key names that pick something in the menu (every other key cancels)."""
    return {name for i in GOTO_IDS for name in keys.key_names(keys.keys_for(i, keymap))}


def goto_hint(keymap: Mapping[str, str] | None = None) -> Content:
    """``go to: c contacts  t tags  …  esc cancel`` with the keys in force."""
    parts: list[Content | str | tuple[str, str]] = [("go to: ", "bold")]
    for position, binding_id in enumerate(GOTO_IDS):
        if position:
            parts.append("  ")
        label = keys.key_label(keys.keys_for(binding_id, keymap))
        parts += [(label, "bold $accent"), f" {keys.spec(binding_id).description.lower()}"]
    return Content.assemble(*parts)


class GotoScreen(ModalScreen[str | None]):
    """A one-line menu; dismisses with where to go, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("goto")
    DEFAULT_CSS = """
    GotoScreen { align: left bottom; background: transparent; }
    GotoScreen > Static { width: auto; height: auto; padding: 0 1; margin: 0 0 1 0;
                          background: $panel; border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Static(goto_hint(keys.keymap_in_force(self.app)))

    def action_pick(self, where: str) -> None:
        self.dismiss(where or None)

    def on_key(self, event: events.Key) -> None:
        # Any other key cancels the prefix, as in mutt.
        if event.key not in goto_keys(keys.keymap_in_force(self.app)):
            event.stop()
            self.dismiss(None)
