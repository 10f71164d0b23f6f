"""How soon a Pilot key press (or ``pilot.pause()``) counts as handled.

After every key, and in ``pilot.pause()``, Textual's Pilot waits until the
process *looks* idle: a 20 ms window in which it used under 1 ms of CPU, twice
per key.  Handling a key takes this app about 20 ms of CPU; the stock check adds
60-70 ms of waiting to each, which made typing two thirds of the suite's time.

:func:`wait_for_idle` keeps the same rule (under 5 % CPU over a window) on 5 ms
windows, and adds what the stock check lacks: the app and the screen must have
no message waiting.  A process the OS did not schedule during a window uses no
CPU either; with keys still queued it is busy, not idle.  Keys are queued
messages, so they are handled in order whatever the pacing; tests that need an
answer (a request, a timer) wait for it with ``helpers.wait_for``.

:func:`install` puts it in place of Textual's for the whole session (conftest).
"""

from __future__ import annotations

import asyncio
from time import monotonic, process_time

import textual.app
import textual.pilot
from textual._context import active_app

__all__ = ["GRANULARITY", "install", "wait_for_idle"]

#: One look at the CPU clock (Textual's own: 20 ms).
GRANULARITY = 0.005
#: Less CPU than this in a window counts as idle (Textual's ratio: 1/20).
IDLE_CPU = GRANULARITY / 20


def _queues_empty() -> bool:
    """No message waits in the running app or any widget of its current screen."""
    try:
        app = active_app.get()
        if app.message_queue_size:
            return False
        return not any(node.message_queue_size for node in app.screen.walk_children(with_self=True))
    except Exception:  # no app, or no screen (starting or shutting down): nothing to wait for
        return True


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
        if elapsed > min_sleep and used < IDLE_CPU and _queues_empty():
            return


def install() -> None:
    """Use :func:`wait_for_idle` where Pilot and the key presses look it up."""
    textual.app.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
