"""The keys of the list screens (contacts, tags, fields, teams, templates, snippets,
outbox) and of the search boxes that steer a list.
"""

from __future__ import annotations

from sendbee_tui.tui.key_specs.spec import KeySpec

__all__ = ["LIST_SCREEN_KEYS"]

LIST_SCREEN_KEYS: tuple[KeySpec, ...] = (
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
)
