"""What the composer shows when the app ends is the draft, whatever is still queued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import wait_for
from inbox_helpers import make_app, ready
from textual.widgets import TextArea

from sendbee_tui.store import LocalStore


async def test_what_the_composer_shows_is_saved_even_if_its_change_message_is_lost(
    sandbox: Any, tmp_path: Path
) -> None:
    """An exit between the composer drawing a key and the screen handling its change
    message: the message is dropped once the screen closes, but the text on screen is
    the draft (test_exit_signals' hangup test hit this now and then on a loaded machine)."""
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("enter", "r")
        await wait_for(pilot, lambda: main.composer.conversation is not None)
        conv_id = main.composer.conversation.id
        with main.composer.input.prevent(TextArea.Changed):  # its change message never comes
            main.composer.input.text = "typed as the terminal went away"
    with LocalStore(tmp_path / "data") as store:
        state = store.account(app.config.profile.account_key)
        assert state.get_draft(conv_id) == "typed as the terminal went away"
