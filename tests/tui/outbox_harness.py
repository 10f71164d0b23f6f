"""The outbox tests' harness: the real app on the real sandbox, with the few faults
a real server cannot give (a 5xx that stored nothing) and gates that hold a request
exactly as long as a test needs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from inbox_helpers import fast_client, find_conv, make_config, ready, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import Outbox, State, WindowCheck
from sendbee_tui.store import LocalStore
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.inbox import window_left

SEND_PATH = "/conversations/messages/send"
TEMPLATE_SEND_PATH = "/conversations/messages/templates/send"
MESSAGES_PATH = "/conversations/messages"


class SendFaults(httpx.AsyncBaseTransport):
    """Forwards to the sandbox; answers the send calls ``plan`` names with a 503 unforwarded.

    A 5xx where nothing was stored, for sends only: the one case that must end
    ``unconfirmed``, and one the sandbox cannot give (its injected errors hit
    every request, the inbox's polls too).  Lost answers come from the sandbox
    itself (``send_fault``).
    """

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.plan: list[str] = []
        self.sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST" or request.url.path not in (SEND_PATH, TEMPLATE_SEND_PATH):
            return await self.inner.handle_async_request(request)
        self.sends += 1
        fault = self.plan.pop(0) if self.plan else None
        if fault == "503":
            body = {"error": {"detail": "injected: unavailable", "type": "unavailable"}}
            return httpx.Response(503, json=body, request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class Hold(httpx.AsyncBaseTransport):
    """Forwards to the sandbox; while ``hold`` is on, the requests ``matches`` picks wait
    for ``released``.

    Makes "a send on its way" or "a check under way" last exactly as long as the test
    needs, on any machine: no latency to guess against a loaded CPU.
    """

    def __init__(self, matches: Callable[[httpx.Request], bool]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.matches = matches
        self.hold = False
        self.released = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.hold and self.matches(request):
            await self.released.wait()
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def reads_of_messages(request: httpx.Request) -> bool:
    """What the outbox's check (and the thread's poll) asks: a conversation's messages."""
    return request.method == "GET" and request.url.path == MESSAGES_PATH


def sends(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path == SEND_PATH


def fast_outbox(**overrides: Any) -> Callable[..., Outbox]:
    def build(
        client: SendbeeClient, store: LocalStore, account: str, *, window_open: WindowCheck
    ) -> Outbox:
        options: dict[str, Any] = {
            "check_schedule": (0.0, 0.2, 0.5),
            "retry_delays": (0.1, 0.3),
            "poll_interval": 0.1,
            "clock_skew": 5.0,
            **overrides,
        }
        return Outbox(client, store, account, window_open=window_open, **options)

    return build


def app_with(
    server: Any,
    tmp_path: Path,
    transport: httpx.AsyncBaseTransport | None = None,
    outbox: Callable[..., Outbox] | None = None,
    timeout: float = 5.0,
    **config: Any,
) -> SendbeeApp:
    """The real app on ``server``; its client goes through ``transport`` when given.

    ``timeout``: how long the client waits for an answer (a held send gives up then).
    """

    return SendbeeApp(
        make_config(server, tmp_path, **config),
        client_factory=partial(fast_client, timeout=timeout, transport=transport),
        outbox_factory=outbox or fast_outbox(),
    )


async def outbound(server: Any, conv_id: str, body: str) -> int:
    """How many copies of ``body`` the server holds as outbound messages of ``conv_id``."""
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        return len(
            [
                m
                async for m in client.conversations.iter_messages(conv_id)
                if m.direction == "outbound" and m.body == body
            ]
        )


async def open_replyable(pilot: Any, *, chatbot: bool = False) -> Any:
    """Open a conversation whose window is open (and chatbot as asked); focus the composer."""
    app = pilot.app
    await wait_for(pilot, lambda: ready(app))
    main = app.main_screen
    now = app.inbox.clock()
    conv = find_conv(
        app, lambda c: window_left(c, now) is not None and bool(c.chatbot_active) is chatbot
    )
    main.conv_list.move_to(conv.id)
    await pilot.press("enter")
    await wait_for(pilot, lambda: main.thread.conversation_id == conv.id and main.thread.messages)
    await pilot.press("r")
    assert main.composer.input.has_focus
    return conv


def entry_lines(app: Any) -> list[str]:
    """The thread's lines after its last message: the outbox entries as drawn."""
    lines: list[str] = app.main_screen.thread.plain_lines
    return [line for line in lines if "┆" in line]


def states(app: Any, conv_id: str) -> list[State]:
    return [e.state for e in app.inbox.outbox_entries(conv_id)]


def app_with_a_lost_send(server: Any, tmp_path: Path, **config: Any) -> tuple[Any, SendFaults]:
    """The real app whose first send gets a 503 where nothing was stored (and its faults)."""
    faults = SendFaults()
    faults.plan = ["503"]
    return app_with(server, tmp_path, faults, **config), faults


async def send_unconfirmed(pilot: Any, text: str) -> Any:
    """Open a conversation whose window is open and send ``text`` from the composer; with
    :func:`app_with_a_lost_send` the reply ends *unconfirmed*.  Returns the conversation."""
    app = pilot.app
    conv = await open_replyable(pilot)
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: states(app, conv.id) == [State.UNCONFIRMED])
    return conv
