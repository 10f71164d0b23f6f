"""What one key binding is (:class:`KeySpec`) and the help heading of each scope.

The bindings themselves are in the area modules beside this one; see
:mod:`sendbee_tui.tui.key_specs`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GROUPS", "KeySpec"]


@dataclass(frozen=True)
class KeySpec:
    """One binding: ``id`` is what a keymap names, ``keys`` the default (comma separated).

    ``keys`` is empty for a command that is only in the palette.
    """

    id: str
    keys: str
    action: str
    description: str
    #: Longer text for the palette and help; defaults to ``description``.
    help: str = ""
    show: bool = True
    priority: bool = False
    key_display: str | None = None
    #: Offered in the command palette (with the keys in force).
    palette: bool = False
    #: Handled outside Textual bindings: shown in help, not rebindable.
    fixed: bool = False
    #: Keys a widget handles itself that do the same (Enter on a table row):
    #: shown after the keys in help and the palette, never bound here.
    also: str = ""
    #: The command palette's name for it, where ``description`` is a footer word.
    command: str = ""
    #: Offered in a team session's palette (False: it starts a program or sets up
    #: an account on the team's host, which a session never does).
    in_team: bool = True

    @property
    def scope(self) -> str:
        """The part of the id before the dot: which screen or widget owns the binding."""
        return self.id.split(".", 1)[0]

    @property
    def text(self) -> str:
        """What help says the key does."""
        return self.help or self.description

    @property
    def palette_name(self) -> str:
        """The command palette's name: ``command``, else the footer label."""
        return self.command or self.description

    @property
    def palette_help(self) -> str:
        """The palette's second line: the longer text, unless the name says it already."""
        return self.help if self.help != self.palette_name else ""


#: Help headings per scope, in the order help shows them.
GROUPS: dict[str, str] = {
    "app": "Everywhere",
    "panes": "Everywhere",
    "folder": "Inbox",
    "inbox": "Inbox",
    "team": "Team session",
    "contact_pane": "Contact pane",
    "goto": "Go to (g prefix)",
    "records": "Every list screen (contacts, tags, fields, teams, templates, snippets, outbox)",
    "list": "Conversation list",
    "thread": "Thread",
    "outbox": "Replies on their way (thread and outbox screen)",
    "composer": "Composer",
    "search": "Search boxes",
    "contacts": "Contacts screen",
    "tags": "Tags screen",
    "fields": "Custom fields screen",
    "teams": "Teams screen",
    "templates": "Template picker",
    "template": "Template form",
    "form": "Every form",
    "confirm": "Questions",
    "list_filter": "Filter dialog",
    "help": "This help",
    "agent_picker": "Agent picker",
    "template_value": "Contact value picker",
    "snippets": "Snippets screen",
    "pending": "Outbox screen",
    "snippet_picker": "Snippet picker",
    "setup": "Account setup",
}
