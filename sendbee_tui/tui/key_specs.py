"""The table of every key binding of the app (see :mod:`sendbee_tui.tui.keys`).

Pure data: one :class:`KeySpec` per binding, in the order help and the footer
list them.  Ids are ``scope.name``; the scope says which screen or widget binds
it and which help heading shows it (:data:`GROUPS`).  Edit keys here and
nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GROUPS", "SPEC_TABLE", "KeySpec"]


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

SPEC_TABLE: tuple[KeySpec, ...] = (
    # -- everywhere
    KeySpec("app.quit", "q", "quit", "Quit", "Leave sendbee-tui", palette=True),
    KeySpec("app.help", "question_mark,f1", "help", "Help", "Every key binding", palette=True),
    KeySpec(
        "app.palette",
        "ctrl+p",
        "command_palette",
        "Commands",
        "Command palette with every action",
        show=False,
    ),
    KeySpec(
        "app.setup",
        "S",
        "setup_account",
        "Set up account",
        "Enter API key and secret (leaves demo mode)",
        show=False,
        palette=True,
        in_team=False,
    ),
    KeySpec(
        "panes.cycle",
        "tab,shift+tab",
        "",
        "Cycle panes (list, thread, composer, contact)",
        fixed=True,
    ),
    # -- inbox folders
    KeySpec(
        "folder.open",
        "1",
        "folder('open')",
        "Folder Open",
        "Show open conversations",
        command="Folder: Open",
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.done",
        "2",
        "folder('done')",
        "Folder Done",
        "Show done conversations",
        command="Folder: Done",
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.spam",
        "3",
        "folder('spam')",
        "Folder Spam",
        "Show spam conversations",
        command="Folder: Spam",
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.notified",
        "4",
        "folder('notified')",
        "Folder Notified",
        "Show notified conversations",
        command="Folder: Notified",
        show=False,
        palette=True,
    ),
    # -- inbox actions
    KeySpec(
        "inbox.search",
        "slash",
        "search",
        "Search",
        "Search name, phone or loaded message text, as you type",
        command="Search conversations",
        palette=True,
    ),
    KeySpec(
        "inbox.undo",
        "z",
        "undo",
        "Undo",
        "Undo the last mark unread, mark all read or move",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.filter",
        "f",
        "filter",
        "Filter",
        "Filter by tag, chatbot, 24-hour window, unread",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.clear_filters",
        "F",
        "clear_filters",
        "Clear filters",
        "Clear the search and every filter",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.reply",
        "r",
        "reply",
        "Reply",
        "Focus the composer of the open conversation",
        palette=True,
    ),
    KeySpec(
        "inbox.done",
        "d",
        "toggle_done",
        "Done/reopen",
        "Move to Done / reopen",
        command="Move to Done / reopen",
        palette=True,
    ),
    KeySpec(
        "inbox.chatbot",
        "b",
        "toggle_chatbot",
        "Bot on/off",
        "Turn the chatbot on or off",
        command="Toggle chatbot",
        palette=True,
    ),
    KeySpec(
        "inbox.template",
        "t",
        "app.send_template",
        "Template",
        "Pick an approved template to send",
        command="Send template",
        palette=True,
    ),
    KeySpec(
        "inbox.template_new",
        "",
        "app.send_template_new",
        "Template to a new number",
        "Start a conversation with a template",
        command="Send template to a new number",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.next_unread",
        "n",
        "next_unread",
        "Next unread",
        "Jump to the next unread conversation",
        palette=True,
    ),
    KeySpec(
        "inbox.mark_unread",
        "u",
        "mark_unread",
        "Mark unread",
        "Mark the conversation unread again",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.unread_only",
        "U",
        "toggle_unread_only",
        "Unread only",
        "Show only unread conversations (toggle)",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.mark_all_read",
        "A",
        "mark_all_read",
        "Mark all read",
        "Everything up to now counts as read",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.sort",
        "s",
        "toggle_sort",
        "Sort",
        "Sort: recent / window closing",
        command="Sort: recent / window closing",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.contact_pane",
        "i",
        "toggle_contact",
        "Contact pane",
        "Show or hide the contact pane",
        show=False,
        palette=True,
    ),
    KeySpec("inbox.goto", "g", "goto", "Go to…", show=False),
    # -- team sessions (serve-ssh) only: the team's inbox screen binds these
    KeySpec(
        "team.claim",
        "c",
        "claim",
        "Claim",
        "Claim the conversation (you are handling it); again releases it",
        command="Claim / release conversation",
        palette=True,
    ),
    # -- the open conversation's contact, edited without leaving the inbox
    KeySpec(
        "inbox.edit_contact",
        "e",
        "contact_edit('form')",
        "Edit contact",
        "Edit the open conversation's contact: name, tags, note, fields",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.tag_contact",
        "plus",
        "contact_edit('tag')",
        "Tag contact",
        "Add tags to the open conversation's contact",
        show=False,
        palette=True,
        key_display="+",
    ),
    KeySpec(
        "inbox.untag_contact",
        "minus",
        "contact_edit('untag')",
        "Untag contact",
        "Remove a tag from the open conversation's contact",
        show=False,
        palette=True,
        key_display="-",
    ),
    KeySpec(
        "inbox.note_contact",
        "N",
        "contact_edit('note')",
        "Note on contact",
        "Append a note to the open conversation's contact",
        show=False,
        palette=True,
    ),
    KeySpec(
        "inbox.refresh",
        "ctrl+r",
        "refresh",
        "Refresh",
        "Poll the server now",
        command="Refresh now",
        show=False,
        palette=True,
    ),
    KeySpec("inbox.escape", "escape", "escape", "Back", show=False),
    # -- the contact pane, when it has the focus (e + - N work there too)
    KeySpec(
        "contact_pane.edit",
        "enter",
        "screen.contact_edit('form')",
        "Edit contact",
        "Edit the contact shown in the pane",
    ),
    # -- the g menu
    KeySpec("goto.contacts", "c", "pick('contacts')", "Contacts", "Manage contacts", palette=True),
    KeySpec("goto.tags", "t", "pick('tags')", "Tags", "Manage contact tags", palette=True),
    KeySpec(
        "goto.fields",
        "f",
        "pick('fields')",
        "Fields",
        "Manage contact fields",
        command="Custom fields",
        palette=True,
    ),
    KeySpec("goto.teams", "m", "pick('teams')", "Teams", "Teams and members", palette=True),
    KeySpec(
        "goto.snippets",
        "s",
        "pick('snippets')",
        "Snippets",
        "Canned replies: add, edit, delete",
        palette=True,
    ),
    KeySpec(
        "goto.outbox",
        "o",
        "pick('outbox')",
        "Outbox",
        "Every reply not sent yet, in every conversation",
        palette=True,
    ),
    KeySpec("goto.top", "g", "pick('top')", "Top", "Top of the list"),
    KeySpec("goto.cancel", "escape", "pick('')", "Cancel"),
    # -- conversation list
    KeySpec("list.down", "j,down", "cursor_down", "Down", show=False),
    KeySpec("list.up", "k,up", "cursor_up", "Up", show=False),
    KeySpec("list.first", "home", "first", "First", show=False),
    KeySpec("list.last", "G,end", "last", "Last", show=False),
    KeySpec("list.page_down", "pagedown,ctrl+f", "page_down", "Page down", show=False),
    KeySpec("list.page_up", "pageup,ctrl+b", "page_up", "Page up", show=False),
    KeySpec("list.open", "enter,l", "select", "Open"),
    # -- thread
    KeySpec("thread.down", "j,down", "scroll_down", "Down", show=False),
    KeySpec("thread.up", "k,up", "scroll_up", "Up", show=False),
    KeySpec("thread.home", "home", "scroll_home", "Oldest", show=False),
    KeySpec("thread.end", "G,end", "scroll_end", "Newest", show=False),
    KeySpec("thread.page_up", "pageup,ctrl+b", "page_up", "Page up", show=False),
    KeySpec("thread.page_down", "pagedown,ctrl+f", "page_down", "Page down", show=False),
    # -- outbox entries shown after the thread's messages (one is selected)
    KeySpec(
        "outbox.next",
        "o",
        "outbox_select(1)",
        "Next reply",
        "Select the next reply in the outbox",
        show=False,
    ),
    KeySpec(
        "outbox.previous",
        "O",
        "outbox_select(-1)",
        "Previous reply",
        "Select the previous reply in the outbox",
        show=False,
    ),
    KeySpec(
        "outbox.retry",
        "R",
        "outbox_retry",
        "Retry",
        "Send a failed reply again (it certainly did not arrive)",
    ),
    KeySpec(
        "outbox.edit",
        "e",
        "outbox_edit",
        "Edit",
        "Take a queued, failed or unconfirmed reply back to the composer",
    ),
    KeySpec(
        "outbox.discard",
        "x,delete",
        "outbox_discard",
        "Discard",
        "Cancel a queued reply, or discard a failed or unconfirmed one",
    ),
    KeySpec(
        "outbox.recheck",
        "c",
        "outbox_recheck",
        "Check again",
        "Look for an unconfirmed reply on the server again",
    ),
    KeySpec(
        "outbox.resend",
        "exclamation_mark",
        "outbox_resend",
        "Send again anyway",
        "Send an unconfirmed reply again (asks first: the customer may get it twice)",
    ),
    # -- composer
    KeySpec("composer.send", "enter", "", "Send", fixed=True),
    KeySpec(
        "composer.newline", "ctrl+j", "", "New line (also Alt+Enter / Shift+Enter)", fixed=True
    ),
    KeySpec(
        "composer.editor",
        "ctrl+e",
        "app.compose_in_editor",
        "$EDITOR",
        "Write the reply in your editor",
        command="Compose in $EDITOR",
        priority=True,
        palette=True,
        in_team=False,
    ),
    KeySpec("composer.media", "ctrl+o", "toggle_media", "Media URL"),
    KeySpec("composer.keep_bot", "ctrl+t", "toggle_prevent_bot_off", "Keep bot"),
    KeySpec("composer.agent", "ctrl+g", "choose_agent", "Send as agent"),
    KeySpec("composer.snippet", "ctrl+s", "choose_snippet", "Snippet", "Insert a canned reply"),
    KeySpec("composer.leave", "escape", "leave", "Leave composer", "Back to the list", show=False),
    # -- search boxes that steer a list
    KeySpec("search.next", "down", "move('cursor_down')", "Next match", show=False),
    KeySpec("search.previous", "up", "move('cursor_up')", "Previous match", show=False),
    KeySpec("search.page_down", "pagedown", "move('page_down')", "Page down", show=False),
    KeySpec("search.page_up", "pageup", "move('page_up')", "Page up", show=False),
    # -- every list screen: vi keys that move the list's cursor.  The keys are
    # simulated, so the focused list (a DataTable or an OptionList) moves as it
    # does for the arrows; a focused search box types the letters instead.
    KeySpec("records.down", "j", "app.simulate_key('down')", "Down", show=False),
    KeySpec("records.up", "k", "app.simulate_key('up')", "Up", show=False),
    KeySpec(
        "records.top", "g", "app.simulate_key('ctrl+home')", "Top", "Top of the list", show=False
    ),
    KeySpec(
        "records.bottom",
        "G",
        "app.simulate_key('ctrl+end')",
        "Bottom",
        "Bottom of the list",
        show=False,
    ),
    # -- contacts
    KeySpec("contacts.close", "escape", "close", "Back", "Close the screen"),
    KeySpec("contacts.search", "slash", "focus_search", "Search"),
    KeySpec("contacts.subscribe", "a", "subscribe", "Subscribe", "Subscribe a new contact"),
    KeySpec("contacts.edit", "e", "edit", "Edit", "Edit the selected contact", also="enter"),
    KeySpec(
        "contacts.open_conversation",
        "o",
        "open_conversation",
        "Conversation",
        "Open the contact's conversation",
    ),
    KeySpec(
        "contacts.send_template",
        "t",
        "send_template",
        "Template",
        "Send a template to the contact",
    ),
    KeySpec("contacts.refresh", "r", "refresh", "Refresh"),
    # -- tags
    KeySpec("tags.close", "escape", "close", "Back", "Close the screen"),
    KeySpec("tags.filter", "slash", "focus_filter", "Filter"),
    KeySpec("tags.create", "a", "create", "New tag"),
    KeySpec("tags.rename", "e", "rename", "Rename", "Rename the selected tag", also="enter"),
    KeySpec("tags.delete", "d", "delete", "Delete", "Delete the selected tag"),
    KeySpec("tags.refresh", "r", "refresh", "Refresh"),
    # -- custom fields
    KeySpec("fields.close", "escape", "close", "Back", "Close the screen"),
    KeySpec("fields.create", "a", "create", "New field", "New custom field"),
    KeySpec("fields.edit", "e", "edit", "Edit", "Edit the selected field", also="enter"),
    KeySpec("fields.delete", "d", "delete", "Delete", "Delete the selected field"),
    KeySpec("fields.refresh", "r", "refresh", "Refresh"),
    # -- teams
    KeySpec("teams.back", "escape", "app.pop_screen", "Back"),
    KeySpec("teams.refresh", "r", "refresh", "Refresh"),
    KeySpec("agent_picker.cancel", "escape", "cancel", "Cancel"),
    # -- templates
    KeySpec("templates.back", "escape", "back", "Back"),
    KeySpec("templates.search", "slash", "focus_search", "Search", key_display="/"),
    KeySpec("templates.reload", "ctrl+r", "reload", "Reload"),
    KeySpec("template_value.cancel", "escape", "cancel", "Cancel"),
    KeySpec("template.fill_name", "ctrl+n", "fill_name", "Fill name"),
    KeySpec("template.fill_contact", "ctrl+f", "fill_from_contact", "Fill from contact"),
    # -- snippets (canned replies)
    KeySpec("snippets.close", "escape", "close", "Back", "Close the screen"),
    KeySpec("snippets.create", "a", "create", "New snippet"),
    KeySpec("snippets.edit", "e", "edit", "Edit", "Edit the selected snippet", also="enter"),
    KeySpec("snippets.delete", "d", "delete", "Delete", "Delete the selected snippet"),
    KeySpec("snippet_picker.cancel", "escape", "cancel", "Cancel"),
    # -- the outbox screen (g o): every reply not sent yet
    KeySpec("pending.close", "escape", "close", "Back", "Close the screen"),
    KeySpec(
        "pending.open",
        "o",
        "open_conversation",
        "Open",
        "Open the reply's conversation",
        also="enter",
    ),
    # -- every form
    KeySpec("form.cancel", "escape", "cancel", "Cancel"),
    KeySpec("form.submit", "ctrl+s", "submit", "Save"),
    # -- questions, help, setup
    KeySpec("list_filter.previous", "left,h", "step(-1)", "Previous", key_display="←"),
    KeySpec("list_filter.next", "right,l,space", "step(1)", "Next", key_display="→"),
    KeySpec("list_filter.reset", "backspace,x", "reset", "Any"),
    KeySpec("list_filter.apply", "ctrl+s", "apply", "Apply (also Enter)"),
    KeySpec("list_filter.cancel", "escape", "cancel", "Cancel"),
    KeySpec("confirm.yes", "y", "confirm", "Yes"),
    KeySpec("confirm.no", "n", "deny", "No"),
    KeySpec("confirm.cancel", "escape", "deny", "Cancel"),
    # Enter on a focused button presses that button; this catches Enter elsewhere.
    KeySpec("confirm.enter", "enter", "confirm", "Confirm", show=False),
    KeySpec("help.close", "escape,q,question_mark", "dismiss", "Close"),
    KeySpec("setup.quit", "ctrl+q", "quit", "Quit", show=False),
)
