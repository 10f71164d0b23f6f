"""The ``g`` prefix of the inbox (like mutt/aerc): the next key picks where to go."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["GOTO_KEYS", "GotoScreen"]

#: Key -> where it goes (the app opens ``open_<where>``; ``top`` is the top of the list).
GOTO_KEYS: dict[str, str] = {
    "c": "contacts",
    "t": "tags",
    "f": "fields",
    "m": "teams",
    "s": "snippets",
    "g": "top",
}


class GotoScreen(ModalScreen[str | None]):
    """A one-line menu; dismisses with where to go, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "pick('contacts')", "Contacts", id="goto.contacts"),
        Binding("t", "pick('tags')", "Tags", id="goto.tags"),
        Binding("f", "pick('fields')", "Fields", id="goto.fields"),
        Binding("m", "pick('teams')", "Teams", id="goto.teams"),
        Binding("s", "pick('snippets')", "Snippets", id="goto.snippets"),
        Binding("g", "pick('top')", "Top of list", id="goto.top"),
        Binding("escape", "pick('')", "Cancel", id="goto.cancel"),
    ]
    DEFAULT_CSS = """
    GotoScreen { align: left bottom; background: transparent; }
    GotoScreen > Static { width: auto; height: auto; padding: 0 1; margin: 0 0 1 0;
                          background: $panel; border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                ("go to: ", "bold"),
                ("c", "bold $accent"),
                " contacts  ",
                ("t", "bold $accent"),
                " tags  ",
                ("f", "bold $accent"),
                " fields  ",
                ("m", "bold $accent"),
                " teams  ",
                ("s", "bold $accent"),
                " snippets  ",
                ("g", "bold $accent"),
                " top  ",
                ("esc", "bold $accent"),
                " cancel",
            )
        )

    def action_pick(self, where: str) -> None:
        self.dismiss(where or None)

    def on_key(self, event: events.Key) -> None:
        # Any other key cancels the prefix, as in mutt.
        if event.key not in (*GOTO_KEYS, "escape"):
            event.stop()
            self.dismiss(None)
