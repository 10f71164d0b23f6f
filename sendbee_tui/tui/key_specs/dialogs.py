"""The keys of forms, questions, the filter dialog, help and the setup screen."""

from __future__ import annotations

from sendbee_tui.tui.key_specs.spec import KeySpec

__all__ = ["DIALOG_KEYS"]

DIALOG_KEYS: tuple[KeySpec, ...] = (
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
