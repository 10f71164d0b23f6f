"""Ending a request without an HTTP answer: saying nothing, dropping, or holding.

ASGI has no "close the connection" message, and an ASGI app that returns
without answering makes uvicorn send a 500. So the outermost layer,
:class:`ConnectionControl`, remembers the connection's transport (uvicorn's
``send`` is a bound method of its request cycle, which holds it) in the scope;
:class:`DropConnection` closes it and then waits until the server has noticed
the connection is gone, after which uvicorn neither answers nor logs.

All waiting here relies on the request body having been read completely: after
that, the only thing ``receive()`` can still return is ``http.disconnect``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("sendbee_tui.sandbox.web")

SCOPE_KEY = "sendbee_sandbox.transport"

Outcome = Literal["gone", "stopping"]


class ConnectionControl:
    """ASGI wrapper that makes the connection's transport reachable from a response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cycle = getattr(send, "__self__", None)
            transport = getattr(cycle, "transport", None)
            if isinstance(transport, asyncio.BaseTransport):
                scope[SCOPE_KEY] = transport
        await self.app(scope, receive, send)


async def wait_for_disconnect(receive: Receive) -> None:
    """Return once the client (or we) closed the connection."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def gone_or_stopping(
    receive: Receive, stopping: asyncio.Event, timeout: float | None = None
) -> Outcome | None:
    """Wait up to ``timeout`` seconds (None: forever) for the client to go or the server to stop.

    Returns ``"gone"``, ``"stopping"``, or None when the time ran out first.
    """
    gone = asyncio.ensure_future(wait_for_disconnect(receive))
    stop = asyncio.ensure_future(stopping.wait())
    try:
        done, _ = await asyncio.wait(
            {gone, stop}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        for task in (gone, stop):
            task.cancel()
        await asyncio.gather(gone, stop, return_exceptions=True)
    if gone in done:
        return "gone"
    if stop in done:
        return "stopping"
    return None


async def drop(scope: Scope, receive: Receive) -> None:
    """Close the connection without a response, then wait until the server saw it go."""
    transport = scope.get(SCOPE_KEY)
    if not isinstance(transport, asyncio.BaseTransport):
        log.warning("this ASGI server does not expose its connections; cannot drop one")
        return
    transport.close()
    await wait_for_disconnect(receive)


class NoAnswer(Response):
    """Send nothing: the client is already gone."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


class DropConnection(Response):
    """Close the TCP connection without a single byte of response."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await drop(scope, receive)


class HoldResponse(Response):
    """Answer nothing until the client gives up; close at once when the server stops."""

    def __init__(self, stopping: asyncio.Event, label: str) -> None:
        super().__init__()
        self.stopping = stopping
        self.label = label

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        outcome = await gone_or_stopping(receive, self.stopping)
        if outcome == "gone":
            log.info("%s ended: the client gave up", self.label)
            return
        log.info("%s ended: the server is stopping; closing the connection", self.label)
        await drop(scope, receive)
