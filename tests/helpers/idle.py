"""How soon a Pilot key press (or ``pilot.pause()``) counts as handled.

After every key, and in ``pilot.pause()``, Textual's Pilot waits until the
process *looks* idle: a 20 ms window in which it used under 1 ms of CPU, twice
per key.  Handling a key takes this app about 20 ms of CPU; the stock check adds
60-70 ms of waiting to each, which made typing two thirds of the suite's time.

:func:`wait_for_idle` keeps the same rule (under 5 % CPU over a window) on 5 ms
windows, and adds what the stock check only gets from its long windows: no
message waiting in the app or on its screen, no frame due (layout, repaint,
scroll, callbacks after it), no animation running.  A process the OS did not
schedule during a window uses no CPU either; with work still queued it is busy,
not idle.  Keys are queued messages, so they are handled in order whatever the
pacing; tests that need an answer (a request, a timer) wait for it with
``helpers.wait_for``.

:func:`install` puts it in place of Textual's for the whole session (conftest).
"""

from __future__ import annotations

import asyncio
from time import monotonic, process_time
from typing import Any

import textual.app
import textual.pilot
from textual._context import active_app
from textual.app import App, ScreenStackError
from textual.message_pump import MessagePump
from textual.screen import Screen

__all__ = ["GRANULARITY", "install", "wait_for_idle"]

#: One look at the CPU clock (Textual's own: 20 ms).
GRANULARITY = 0.005
#: Less CPU than this in a window counts as idle (Textual's ratio: 1/20).
IDLE_CPU = GRANULARITY / 20


def _work_pending(app: App[Any], screen: Screen[Any]) -> bool:
    """Whether ``app`` has handling left that a quiet CPU would hide.

    A message queued for the app or a widget of its screen; a repaint, layout or
    scroll the screen's next frame will do, or callbacks waiting for that frame
    (``call_after_refresh``, ``call_next``); an animation running or scheduled.
    The stock check sees these only because its 20 ms windows span a frame.
    Textual's private fields: a Textual upgrade that renames them fails loudly here.
    """
    nodes: list[MessagePump] = [app, *screen.walk_children(with_self=True)]
    if any(node.message_queue_size or node._next_callbacks for node in nodes):
        return True
    if (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    ):
        return True
    animator = app.animator
    return bool(animator._animations or animator._scheduled)


def _idle_app() -> bool:
    """No work pending in the running app (and none without an app or a screen)."""
    try:
        app = active_app.get()
        screen = app.screen
    except (LookupError, ScreenStackError):  # no app running; before the first screen or after
        return True
    return not _work_pending(app, screen)


async def wait_for_idle(min_sleep: float = GRANULARITY, max_sleep: float = 1.0) -> None:
    """Textual's ``wait_for_idle`` with finer windows and the queues checked (see above)."""
    start = monotonic()
    while True:
        cpu = process_time()
        await asyncio.sleep(GRANULARITY)
        used = process_time() - cpu
        elapsed = monotonic() - start
        if elapsed >= max_sleep:
            return
        if elapsed > min_sleep and used < IDLE_CPU and _idle_app():
            return


def install() -> None:
    """Use :func:`wait_for_idle` where Pilot and the key presses look it up."""
    textual.app.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
