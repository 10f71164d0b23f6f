"""The keys of the open conversation: the thread, its outbox entries, the composer."""

from __future__ import annotations

from sendbee_tui.tui.key_specs.spec import KeySpec

__all__ = ["THREAD_KEYS"]

THREAD_KEYS: tuple[KeySpec, ...] = (
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
)
