"""Waiting in Pilot tests, and a host app that shows one screen on a real client.

Tests wait for *what they check*, never for a fixed time: :func:`wait_for` lets
the app run until a condition holds (network answers, timers such as a search
debounce, the outbox's schedule), :func:`settle` until the workers started so far
are done and the screen has repainted.  A timeout only bounds a failing test; it
is generous because the suite runs in parallel on loaded machines.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.command import CommandList
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen

from sendbee_tui.api import SendbeeClient

__all__ = [
    "POLL",
    "TIMEOUT",
    "ScreenHost",
    "host",
    "settle",
    "wait_for",
    "wait_for_screen",
    "wait_until",
]

#: How long :func:`wait_for` waits before it fails (a bound for failures, not a speed claim).
TIMEOUT = 20.0
#: How often :func:`wait_for` looks (the app runs in between).
POLL = 0.02


def _describe(predicate: Callable[[], Any]) -> str:
    """The predicate's source line(s) for the failure message (its repr says little)."""
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


async def wait_for(
    pilot: Pilot[Any], predicate: Callable[[], Any], timeout: float = TIMEOUT
) -> None:
    """Let the app run until ``predicate()`` holds; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not met within {timeout} s: {_describe(predicate)}")
        await pilot.pause(POLL)


#: The same wait under the name some modules know it by.
wait_until = wait_for

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_for_screen(pilot: Pilot[Any], kind: type[ScreenT]) -> ScreenT:
    """The screen on top once it is a ``kind`` and mounted (its rows composed, focus set).

    Pushed comes before composed: a query or a key right after ``isinstance`` can
    find no fields, or reach the screen before its input has the focus.
    """
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for every worker (requests) and the repaint that follows.

    Three rounds: a worker's result often starts another worker (a save, then a
    reload), and the screen repaints after the messages they post.
    """
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


class ScreenHost(App[None]):
    """Shows ``make_screen(client)`` with ``self.client`` a real client for ``base_url``.

    The client is created on the app's own loop, as ``SendbeeApp`` does, and
    closed when the app ends.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        make_screen: Callable[[SendbeeClient], Screen[Any]],
    ) -> None:
        super().__init__()
        self._credentials = (api_key, api_secret, base_url)
        self._make_screen = make_screen
        self.client: SendbeeClient | None = None

    async def on_mount(self) -> None:
        key, secret, url = self._credentials
        self.client = SendbeeClient(key, secret, base_url=url, max_retries=0, timeout=10)
        await self.push_screen(self._make_screen(self.client))

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


def host(server: Any, make_screen: Callable[[SendbeeClient], Screen[Any]]) -> ScreenHost:
    """A :class:`ScreenHost` for a running ``SandboxServer``."""
    return ScreenHost(server.base_url, server.api_key, server.api_secret, make_screen)


def palette_highlights(app: Any, text: str) -> bool:
    """The command palette is open with ``text`` in its highlighted command."""
    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted_option is None:
        return False
    prompt = lists.first().highlighted_option.prompt
    return text in (prompt.plain if isinstance(prompt, Content) else str(prompt))
