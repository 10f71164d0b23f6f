"""``?``: every key binding of the inbox, grouped, built from the live binding tables."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "Tab / Shift+Tab", "Cycle panes (list, thread, composer, contact)"),
    ("Everywhere", "Ctrl+P", "Command palette with every action"),
    ("Go to (g prefix)", "g c", "Contacts"),
    ("Go to (g prefix)", "g t", "Tags"),
    ("Go to (g prefix)", "g f", "Custom fields"),
    ("Go to (g prefix)", "g m", "Teams and members"),
    ("Go to (g prefix)", "g g", "Top of the list"),
    ("Composer", "Enter", "Send"),
    ("Composer", "Ctrl+J (or Alt+Enter)", "New line"),
    ("Composer", "Esc", "Back to the list"),
)


def _key_label(keys: str) -> str:
    from textual.keys import format_key

    return " / ".join(format_key(k.strip()) for k in keys.split(","))


def binding_rows() -> list[tuple[str, str, str]]:
    """(group, keys, description) for every binding users can press."""
    from sendbee_tui.tui.app import SendbeeApp
    from sendbee_tui.tui.screens.main import MainScreen
    from sendbee_tui.tui.widgets.composer import Composer
    from sendbee_tui.tui.widgets.conversation_list import ConversationList
    from sendbee_tui.tui.widgets.thread import Thread

    groups = (
        ("Everywhere", SendbeeApp.BINDINGS),
        ("Inbox", MainScreen.BINDINGS),
        ("Conversation list", ConversationList.BINDINGS),
        ("Thread", Thread.BINDINGS),
        ("Composer", Composer.BINDINGS),
    )
    rows: list[tuple[str, str, str]] = []
    for group, bindings in groups:
        for b in bindings:
            if isinstance(b, Binding) and b.action not in ("leave", "goto") and b.description:
                rows.append((group, _key_label(b.key), b.description))
    rows += list(EXTRA)
    return rows


class HelpScreen(ModalScreen[None]):
    """Modal list of bindings; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 90%; border: round $accent; background: $surface;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        parts: list[Content | str | tuple[str, str]] = [("Keys", "bold $accent"), "\n"]
        last = ""
        for group, keys, description in binding_rows():
            if group != last:
                parts += ["\n", (group, "bold"), "\n"]
                last = group
            parts += [(f"  {keys:<24}", "$accent"), description, "\n"]
        parts += ["\n", ("Esc / q / ? close", "$text-muted")]
        with VerticalScroll():
            yield Static(Content.assemble(*parts))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
