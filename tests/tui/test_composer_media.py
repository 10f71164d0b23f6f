"""The composer's media-URL field belongs to one reply (Pilot, real sandbox over loopback).

Once a reply with a media URL is in the outbox, the field closes and its saved
value (kept per conversation) is gone: the next reply starts without it, also
after opening the conversation again.  A reply the screen refuses comes back
with its URL, field open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox_helpers import find_conv, make_app, ready, wait_for

from sendbee_tui.tui.inbox import window_left

URL = "https://example.com/photo.jpg"


async def test_media_field_closes_once_the_reply_is_queued(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        composer = main.composer
        media = composer.media_input
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and not c.chatbot_active)
        other = find_conv(app, lambda c: c.id != conv.id)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter", "r", *"see photo", "ctrl+o", *URL)
        await pilot.pause()
        assert media.display and media.has_focus
        await wait_for(pilot, lambda: app.inbox.get_media_draft(conv.id) == URL)

        await pilot.press("enter")  # Enter in the media field sends the reply
        await wait_for(pilot, lambda: app.inbox.outbox_entries(conv.id))
        await pilot.pause()
        (entry,) = app.inbox.outbox_entries(conv.id)
        assert entry.payload.media_url == URL and entry.payload.text == "see photo"
        assert not media.display and media.value == ""
        assert composer.input.has_focus  # the focus did not stay in the hidden field
        assert app.inbox.get_media_draft(conv.id) == ""

        # Opened again, the conversation's composer has no media field either.
        main.conv_list.focus()
        main.conv_list.move_to(other.id)
        await pilot.press("enter")
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: composer.conversation is not None)
        assert composer.conversation is not None and composer.conversation.id == conv.id
        await pilot.pause()
        assert not media.display and media.value == ""


async def test_refused_reply_comes_back_with_its_media_field(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """The first Enter where the chatbot is on only warns: text and URL come back."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        composer = main.composer
        media = composer.media_input
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and c.chatbot_active)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter", "r", *"see photo", "ctrl+o", *URL, "enter")
        await wait_for(pilot, lambda: composer.notice_is_bot_warning)
        await pilot.pause()
        assert app.inbox.outbox_entries(conv.id) == []
        assert media.display and media.value == URL
        assert composer.input.text == "see photo"
        assert app.inbox.get_media_draft(conv.id) == URL

        await pilot.press("enter")  # the second Enter sends
        await wait_for(pilot, lambda: app.inbox.outbox_entries(conv.id))
        await pilot.pause()
        assert not media.display and media.value == ""
        assert app.inbox.get_media_draft(conv.id) == ""
