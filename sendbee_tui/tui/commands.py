"""Command palette (Ctrl+P): every inbox action, searchable by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One palette entry: ``action`` runs on the main screen (or the app with ``app.``)."""

    name: str
    help: str
    action: str
    key: str = ""


COMMANDS: tuple[Command, ...] = (
    Command("Folder: Open", "Show open conversations", "folder('open')", "1"),
    Command("Folder: Done", "Show done conversations", "folder('done')", "2"),
    Command("Folder: Spam", "Show spam conversations", "folder('spam')", "3"),
    Command("Folder: Notified", "Show notified conversations", "folder('notified')", "4"),
    Command("Search conversations", "Filter by name or phone", "search", "/"),
    Command("Reply", "Focus the composer of the open conversation", "reply", "r"),
    Command("Move to Done / reopen", "Toggle the conversation's folder", "toggle_done", "d"),
    Command("Toggle chatbot", "Turn the chatbot on or off", "toggle_chatbot", "b"),
    Command("Send template", "Pick an approved template to send", "app.send_template", "t"),
    Command(
        "Send template to a new number",
        "Start a conversation with a template",
        "app.send_template_new",
    ),
    Command("Next unread", "Jump to the next unread conversation", "next_unread", "n"),
    Command("Mark unread", "Mark the conversation unread again", "mark_unread", "u"),
    Command("Mark all read", "Everything up to now counts as read", "mark_all_read", "A"),
    Command("Unread only", "Show only unread conversations (toggle)", "toggle_unread_only", "U"),
    Command("Sort: recent / window closing", "Toggle the list order", "toggle_sort", "s"),
    Command("Contact pane", "Show or hide the contact pane", "toggle_contact", "i"),
    Command("Refresh now", "Poll the server now", "refresh", "Ctrl+R"),
    Command(
        "Compose in $EDITOR", "Write the reply in your editor", "app.compose_in_editor", "Ctrl+E"
    ),
    Command("Contacts", "Manage contacts", "app.open_contacts", "g c"),
    Command("Tags", "Manage contact tags", "app.open_tags", "g t"),
    Command("Custom fields", "Manage contact fields", "app.open_fields", "g f"),
    Command("Teams", "Teams and members", "app.open_teams", "g m"),
    Command("Snippets", "Canned replies: add, edit, delete", "app.open_snippets", "g s"),
    Command(
        "Set up account", "Enter API key and secret (leaves demo mode)", "app.setup_account", "S"
    ),
    Command("Help", "Every key binding", "app.help", "?"),
    Command("Quit", "Leave sendbee-tui", "app.quit", "q"),
)


class InboxCommands(Provider):
    """Palette provider for the inbox actions (only while the main screen exists)."""

    def _runner(self, command: Command) -> Callable[[], object]:
        app = self.app
        if command.action.startswith("app."):
            return partial(app.run_action, command.action[4:])
        main = getattr(app, "main_screen", None)
        if main is None:
            return partial(app.notify, "The inbox is not open yet.", markup=False)
        return partial(main.run_action, command.action)

    def _available(self) -> list[Command]:
        if getattr(self.app, "main_screen", None) is None:
            return [c for c in COMMANDS if c.action.startswith("app.")]
        return list(COMMANDS)

    async def discover(self) -> Hits:
        for command in self._available():
            label = f"{command.name}  ({command.key})" if command.key else command.name
            yield DiscoveryHit(label, self._runner(command), text=command.name, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.name + " " + command.help)
            if score > 0:
                label = f"{command.name}  ({command.key})" if command.key else command.name
                yield Hit(
                    score,
                    matcher.highlight(label),
                    self._runner(command),
                    text=command.name,
                    help=command.help,
                )
