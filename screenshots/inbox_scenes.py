"""What each README picture of the inbox shows: the keys pressed before the shot.

Every scene runs the real app against the sandbox (fixed clock, seeded data) and
waits, by condition, until the screen has settled: the pictures are the same on
every run.  ``make_screenshots.py`` starts the app and saves the SVG when a scene
returns; a scene ends on the condition it waited for (no ``await`` after it), so
nothing repaints in between.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sendbee_tui.outbox import State
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.inbox import model_id, window_left
from sendbee_tui.tui.screens.contacts import ContactForm
from sendbee_tui.tui.screens.snippets import SnippetPicker
from sendbee_tui.tui.widgets.status import StatusLine

#: Snippets of the snippet-picker picture (a config file's ``[snippets]`` table).
SNIPPETS = {
    "thanks": "Thank you for your message, {first_name}! We'll get back to you shortly.",
    "order shipped": (
        "Hi {first_name}, your order {field:Order id} is on its way to {field:City}.\n"
        "Kind regards, the shop"
    ),
    "opening hours": "We're open Monday to Friday, 9:00 to 17:00.",
    "photo please": "Could you send us a photo of the damage, {first_name}?",
}


async def until(
    pilot: Any,
    predicate: Callable[[], Any],
    timeout: float = 20.0,
    state: Callable[[], object] = lambda: "",
) -> None:
    """Let the app run until ``predicate()`` holds (answers arrive asynchronously).

    ``state()`` says what the screen shows instead, when it never holds.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"screen did not become ready: {predicate} {state()}")
        await pilot.pause(0.02)


async def settled_thread(pilot: Any) -> None:
    """A short thread fetches older pages until the pane is full: wait for that."""
    thread = pilot.app.main_screen.thread
    await until(
        pilot,
        lambda: (
            not pilot.app.inbox.loading_older
            and (
                not thread.has_older
                or len(thread._lines) >= thread.scrollable_content_region.height
            )
        ),
    )
    await pilot.pause()


async def ready(pilot: Any) -> None:
    """The list, the previews of its first rows and every folder's counts are in."""
    app = pilot.app
    await until(pilot, lambda: app.main_screen is not None and app.main_screen.conv_list.rows)
    main = app.main_screen
    await until(
        pilot, lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows[:12])
    )
    await until(pilot, lambda: len(main.query_one("FolderTabs").counts) == 4)


async def open_row(pilot: Any, predicate: Callable[[Any], Any]) -> Any:
    """Open the first conversation of the list that ``predicate`` accepts."""
    main = pilot.app.main_screen
    target = next(c for c in main.conv_list.rows if predicate(c))
    main.conv_list.move_to(target.id)
    await pilot.press("enter")
    await until(pilot, lambda: main.thread.messages)
    await until(
        pilot, lambda: main.contact_pane.contact is not None or not main.contact_pane.display
    )
    await settled_thread(pilot)
    return target


async def steady(pilot: Any) -> None:
    """Stop the cursors of the screen on top from blinking (a blink differs per run)."""
    for box in pilot.app.screen.query("Input, TextArea"):
        box.cursor_blink = False
    await pilot.pause()


def _open(pilot: Any) -> Callable[[Any], bool]:
    now = pilot.app.inbox.clock()
    return lambda c: window_left(c, now) is not None


# --------------------------------------------------------------------------- the scenes


async def inbox_open(pilot: Any) -> None:
    """The first conversation open; the rows the agent has not seen yet are unread."""
    await ready(pilot)
    await open_row(pilot, lambda c: True)


async def composing(pilot: Any) -> None:
    """Two lines typed where the chatbot is on, Ctrl+T (bot stays on), a media URL."""
    await ready(pilot)
    is_open = _open(pilot)
    await open_row(pilot, lambda c: is_open(c) and c.chatbot_active)
    await pilot.press("r", *"Thanks! Your order ships tomorrow.", "ctrl+j", *"Tracking: AB123")
    await pilot.press("ctrl+t", "ctrl+o", *"https://cdn.example.com/label.pdf")
    await pilot.pause()


async def window_closed(pilot: Any) -> None:
    await ready(pilot)
    now = pilot.app.inbox.clock()
    await open_row(pilot, lambda c: window_left(c, now) is None)


async def help_screen(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def filters(pilot: Any) -> None:
    """A search and two filters applied (the line under the tabs), then ``f`` again."""
    app = pilot.app
    await ready(pilot)
    main = app.main_screen
    await open_row(pilot, lambda c: True)
    await pilot.press("slash", *"a")
    await until(pilot, lambda: app.inbox.view.search == "a")
    await pilot.press("enter", "f", "down", "right", "down", "right", "enter")
    await until(pilot, lambda: app.inbox.filter.bot is True and app.inbox.filter.window)
    await until(pilot, lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows))
    await pilot.press("f", "down", "down")
    await until(pilot, lambda: app.screen is not main)
    await pilot.pause()


async def snippet_picker(pilot: Any) -> None:
    """Ctrl+S in the composer, "ord" typed: the snippet filled from the contact."""
    await ready(pilot)
    is_open = _open(pilot)
    await open_row(pilot, lambda c: is_open(c) and not c.chatbot_active)
    main = pilot.app.main_screen
    await until(pilot, lambda: main.contact_pane.contact is not None)
    await pilot.press("r", "ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SnippetPicker))
    await pilot.press(*"ord")
    await steady(pilot)


async def contact_at_hand(pilot: Any) -> None:
    """``e`` on the open conversation: its contact's form, over the inbox."""
    await ready(pilot)
    main = pilot.app.main_screen
    await open_row(pilot, lambda c: True)
    await until(pilot, lambda: main.contact_pane.contact is not None)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactForm))
    await steady(pilot)


async def outbox(pilot: Any, server: SandboxServer) -> None:
    """Two replies that are not server messages yet, produced for real.

    The first gets a 503 from Sendbee, where nothing was stored: the outbox
    reads the conversation, does not find it and calls it *unconfirmed*.  Then
    the sandbox stops: the second reply waits *queued*, and says why; Ctrl+R
    polls, so the status line says offline too.  ``o`` selects the unconfirmed reply.
    """
    app = pilot.app
    await ready(pilot)
    is_open = _open(pilot)
    conv = await open_row(pilot, lambda c: is_open(c) and not c.chatbot_active)
    conv_id = model_id(conv)

    def states() -> list[State]:
        return [e.state for e in app.inbox.outbox_entries(conv_id)]

    server.set_faults(error_rate=1.0, error_status=503)
    await pilot.press("r", *"Your refund was approved today.", "enter")
    await until(pilot, lambda: states() == [State.CHECKING])
    server.set_faults(error_rate=0.0)
    await until(pilot, lambda: states() == [State.UNCONFIRMED], timeout=60)
    server.stop()
    await pilot.press(*"It should reach your card in 3-5 days.", "enter")
    await until(
        pilot,
        lambda: (
            states() == [State.UNCONFIRMED, State.QUEUED]
            and app.inbox.outbox_entries(conv_id)[-1].error
        ),
    )
    await pilot.press("escape", "ctrl+r")  # poll now: the status line learns it too
    thread = app.main_screen.thread
    thread.focus()
    await pilot.pause()
    for _ in states():  # select the unconfirmed reply: its keys show under it
        selected = thread.selected_entry
        if selected is not None and selected.state is State.UNCONFIRMED:
            break
        await pilot.press("o")
    selected = thread.selected_entry
    if selected is None or selected.state is not State.UNCONFIRMED:
        raise RuntimeError(f"the unconfirmed reply is not selected: {selected}")
    await countdown(pilot, 58)


async def outbox_screen(pilot: Any, server: SandboxServer) -> None:
    """The outbox screen (``g o``) over three replies, produced for real.

    A reply and a template to a new number each get a 503 where nothing was stored:
    both end *unconfirmed*, the template with no conversation (so no thread shows it).
    Then the sandbox stops and a second reply waits *queued*.
    """
    app = pilot.app
    await ready(pilot)
    is_open = _open(pilot)
    conv = await open_row(pilot, lambda c: is_open(c) and not c.chatbot_active)
    conv_id = model_id(conv)

    def pending() -> list[State]:
        return [e.state for e in app.outbox.pending()]

    server.set_faults(error_rate=1.0, error_status=503)
    await pilot.press("r", *"Your refund was approved today.", "enter")
    app.outbox.enqueue_template(
        "+385915550199",
        "welcome",
        "en",
        tags={"1": "Lucija", "2": "Sendbee Shop"},
        expected_body=(
            "Hello Lucija, welcome to Sendbee Shop! Reply to this message to start chatting."
        ),
    )
    await until(pilot, lambda: pending() == [State.CHECKING, State.CHECKING], timeout=30)
    server.set_faults(error_rate=0.0)
    await until(pilot, lambda: pending() == [State.UNCONFIRMED] * 2, timeout=60)
    server.stop()
    await pilot.press(*"It should reach your card in 3-5 days.", "enter")
    await until(
        pilot,
        lambda: (
            sorted(pending()) == sorted([State.UNCONFIRMED] * 2 + [State.QUEUED])
            and app.inbox.outbox_entries(conv_id)[-1].error
        ),
    )
    await pilot.press("escape")
    app.main_screen.conv_list.focus()
    await pilot.press("g", "o")
    await until(pilot, lambda: type(app.screen).__name__ == "OutboxScreen")
    await pilot.press("j")
    await steady(pilot)


async def countdown(pilot: Any, seconds: int) -> None:
    """End when the status line shows "retrying in ``seconds`` s" (it counts down each second).

    The scene returns on the check, with no ``await`` after it: the picture shows
    exactly that second, whatever time the steps before took.
    """
    status = pilot.app.main_screen.query_one(StatusLine)
    shown = lambda: (status.state, status.retry_at, str(status.content))  # noqa: E731
    await until(pilot, lambda: f"retrying in {seconds} s" in str(status.content), 70, shown)
