"""The key registry: every binding of the app, defined once, by id.

Screens and widgets take their ``BINDINGS`` from here (:func:`bindings`); the
help screen, the command palette, the footer and the ``g`` menu are derived
from the same table, and a user's ``[keymap]`` (``"inbox.done" = "x"``) is
checked against it (:func:`check_keymap`) before Textual applies it.  So a key
is typed in exactly one place, and what help shows is what the keys do.

A spec with ``fixed=True`` documents a key that is handled outside Textual's
binding machinery (Enter in the composer, Tab between panes): it appears in
help but cannot be rebound, and the keymap check says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import Keys, _character_to_key, format_key

__all__ = [
    "GROUPS",
    "SPECS",
    "KeySpec",
    "bindings",
    "check_keymap",
    "help_rows",
    "key_label",
    "keys_for",
    "palette_specs",
    "spec",
]


@dataclass(frozen=True)
class KeySpec:
    """One binding: ``id`` is what a keymap names, ``keys`` the default (comma separated)."""

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

    @property
    def scope(self) -> str:
        """The part of the id before the dot: which screen or widget owns the binding."""
        return self.id.split(".", 1)[0]

    @property
    def text(self) -> str:
        return self.help or self.description

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            key_display=self.key_display,
            id=self.id,
        )


#: Help headings per scope, in the order help shows them.
GROUPS: dict[str, str] = {
    "app": "Everywhere",
    "panes": "Everywhere",
    "folder": "Inbox",
    "inbox": "Inbox",
    "goto": "Go to (g prefix)",
    "list": "Conversation list",
    "thread": "Thread",
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
    "setup": "Account setup",
}

_SPECS: tuple[KeySpec, ...] = (
    # -- everywhere
    KeySpec("app.quit", "q", "quit", "Quit", "Leave sendbee-tui", palette=True),
    KeySpec("app.help", "question_mark,f1", "help", "Help", "Every key binding", palette=True),
    KeySpec("app.palette", "ctrl+p", "command_palette", "Commands", show=False),
    KeySpec(
        "app.setup",
        "S",
        "setup_account",
        "Set up account",
        "Enter API key and secret (leaves demo mode)",
        show=False,
        palette=True,
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
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.done",
        "2",
        "folder('done')",
        "Folder Done",
        "Show done conversations",
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.spam",
        "3",
        "folder('spam')",
        "Folder Spam",
        "Show spam conversations",
        show=False,
        palette=True,
    ),
    KeySpec(
        "folder.notified",
        "4",
        "folder('notified')",
        "Folder Notified",
        "Show notified conversations",
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
    KeySpec("inbox.done", "d", "toggle_done", "Done/reopen", "Move to Done / reopen", palette=True),
    KeySpec(
        "inbox.chatbot",
        "b",
        "toggle_chatbot",
        "Bot on/off",
        "Turn the chatbot on or off",
        palette=True,
    ),
    KeySpec(
        "inbox.template",
        "t",
        "app.send_template",
        "Template",
        "Pick an approved template to send",
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
    KeySpec("inbox.goto", "g", "goto", "Go to…", show=False),
    KeySpec(
        "inbox.refresh",
        "ctrl+r",
        "refresh",
        "Refresh",
        "Poll the server now",
        show=False,
        palette=True,
    ),
    KeySpec("inbox.escape", "escape", "escape", "Back", show=False),
    # -- the g menu
    KeySpec("goto.contacts", "c", "pick('contacts')", "Contacts", "Manage contacts"),
    KeySpec("goto.tags", "t", "pick('tags')", "Tags", "Manage contact tags"),
    KeySpec("goto.fields", "f", "pick('fields')", "Fields", "Custom fields"),
    KeySpec("goto.teams", "m", "pick('teams')", "Teams", "Teams and members"),
    KeySpec("goto.top", "g", "pick('top')", "Top of list", "Top of the list"),
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
        priority=True,
        palette=True,
    ),
    KeySpec("composer.media", "ctrl+o", "toggle_media", "Media URL"),
    KeySpec("composer.keep_bot", "ctrl+t", "toggle_prevent_bot_off", "Keep bot"),
    KeySpec("composer.agent", "ctrl+g", "choose_agent", "Send as agent"),
    KeySpec("composer.leave", "escape", "leave", "Leave composer", "Back to the list", show=False),
    # -- search boxes that steer a list
    KeySpec("search.next", "down", "move('cursor_down')", "Next match", show=False),
    KeySpec("search.previous", "up", "move('cursor_up')", "Previous match", show=False),
    KeySpec("search.page_down", "pagedown", "move('page_down')", "Page down", show=False),
    KeySpec("search.page_up", "pageup", "move('page_up')", "Page up", show=False),
    # -- contacts
    KeySpec("contacts.close", "escape", "close", "Back"),
    KeySpec("contacts.search", "slash", "focus_search", "Search"),
    KeySpec("contacts.subscribe", "a", "subscribe", "Subscribe", "Subscribe a new contact"),
    KeySpec("contacts.edit", "e", "edit", "Edit", "Edit the selected contact"),
    KeySpec(
        "contacts.open_conversation",
        "o",
        "open_conversation",
        "Conversation",
        "Open the contact's conversation",
    ),
    KeySpec(
        "contacts.send_template", "t", "send_template", "Template", "Send the contact a template"
    ),
    KeySpec("contacts.refresh", "r", "refresh", "Refresh"),
    # -- tags
    KeySpec("tags.close", "escape", "close", "Back"),
    KeySpec("tags.filter", "slash", "focus_filter", "Filter"),
    KeySpec("tags.create", "a", "create", "New tag"),
    KeySpec("tags.rename", "e", "rename", "Rename"),
    KeySpec("tags.delete", "d", "delete", "Delete"),
    KeySpec("tags.refresh", "r", "refresh", "Refresh"),
    # -- custom fields
    KeySpec("fields.close", "escape", "close", "Back"),
    KeySpec("fields.create", "a", "create", "New field"),
    KeySpec("fields.edit", "e", "edit", "Edit"),
    KeySpec("fields.delete", "d", "delete", "Delete"),
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
    KeySpec("confirm.enter", "enter", "confirm", "Confirm", show=False),
    KeySpec("help.close", "escape,q,question_mark", "dismiss", "Close"),
    KeySpec("setup.quit", "ctrl+q", "quit", "Quit", show=False),
)

#: Every spec by id.
SPECS: dict[str, KeySpec] = {s.id: s for s in _SPECS}
if len(SPECS) != len(_SPECS):  # pragma: no cover - a typo in the table above
    raise RuntimeError("duplicate binding id in the key registry")


def spec(binding_id: str) -> KeySpec:
    """The spec with this id (KeyError names an unknown one)."""
    return SPECS[binding_id]


def bindings(*scopes: str, only: Iterable[str] | None = None, **overrides: str) -> list[Binding]:
    """Textual bindings for ``scopes`` (or the ids in ``only``), in registry order.

    ``overrides`` maps an id (with ``_`` for ``.``) to a description, for a
    screen that labels a shared binding differently (the template form's
    ``form.submit`` says "Send", not "Save").
    """
    wanted = set(only or ())
    out: list[Binding] = []
    for s in _SPECS:
        if s.fixed or not (s.scope in scopes or s.id in wanted):
            continue
        b = s.binding()
        label = overrides.get(s.id.replace(".", "_"))
        if label is not None:
            b = Binding(
                b.key,
                b.action,
                label,
                show=b.show,
                priority=b.priority,
                key_display=b.key_display,
                id=b.id,
            )
        out.append(b)
    return out


def keys_for(binding_id: str, keymap: Mapping[str, str] | None = None) -> str:
    """The keys in force for an id: the user's keymap entry, else the default."""
    if keymap and binding_id in keymap:
        return keymap[binding_id]
    return SPECS[binding_id].keys


def key_label(keys: str) -> str:
    """``"question_mark,f1"`` -> ``"? / F1"``: how help and the palette show keys."""
    return " / ".join(format_key(k.strip()) for k in keys.split(",") if k.strip())


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys}
#: Textual's names for printable ASCII punctuation ("slash", "question_mark", ...).
_CHARACTER_NAMES = {_character_to_key(chr(c)) for c in range(33, 127)}


def _valid_key(key: str) -> bool:
    """True for a key Textual can bind: ``x``, ``X``, ``ctrl+x``, ``f5``, ``question_mark``."""
    parts = key.strip().split("+")
    base = parts[-1]
    if not base or any(p not in _MODIFIERS for p in parts[:-1]):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED or base.lower() in _NAMED:
        return True
    # Unicode names as Textual writes them: "question_mark", "full_stop", "slash", ...
    return base in _CHARACTER_NAMES


def check_keymap(keymap: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Split a user's ``[keymap]`` into what can be applied and notices about the rest.

    An unknown id, a key that is not a key, or a fixed binding gives a notice
    naming it; everything else is kept, so one typo never stops the app.
    """
    good: dict[str, str] = {}
    notices: list[str] = []
    for binding_id, value in keymap.items():
        if binding_id not in SPECS:
            notices.append(f"[keymap] {binding_id!r}: no binding has this id (see ? for ids)")
            continue
        if SPECS[binding_id].fixed:
            notices.append(f"[keymap] {binding_id!r}: this key cannot be rebound")
            continue
        if not isinstance(value, str) or not value.strip():
            notices.append(f'[keymap] {binding_id!r}: keys must be a string like "x" or "ctrl+x"')
            continue
        bad = [k for k in value.split(",") if not _valid_key(k)]
        if bad:
            notices.append(
                f"[keymap] {binding_id!r}: {', '.join(repr(b) for b in bad)} is not a key"
            )
            continue
        good[binding_id] = ",".join(k.strip() for k in value.split(","))
    return good, notices


def help_rows(
    scopes: Iterable[str], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str, str]]:
    """(heading, keys, description, id) for the scopes given, with the keys in force.

    The ``g`` menu's entries are shown as two-key sequences (``g c``).
    """
    wanted = list(scopes)
    rows: list[tuple[str, str, str, str]] = []
    goto_prefix = key_label(keys_for("inbox.goto", keymap)).split(" / ")[0]
    for scope in wanted:
        for s in _SPECS:
            if s.scope != scope or s.id in ("inbox.goto", "goto.cancel", "composer.leave"):
                continue
            label = key_label(keys_for(s.id, keymap))
            if scope == "goto":
                label = f"{goto_prefix} {label}"
            rows.append((GROUPS.get(scope, scope), label, s.text, s.id))
    return rows


def palette_specs(*scopes: str) -> list[KeySpec]:
    """Specs offered in the command palette for these scopes."""
    return [s for s in _SPECS if s.palette and s.scope in scopes]
