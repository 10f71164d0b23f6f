"""Send faults around the real sandbox: its own where it has them, a wrapper for the rest.

The sandbox itself breaks committed sends the two ways that matter most
(``SandboxServer.set_faults(send_fault=..., send_fault_rate=..., send_fault_next=...)``):
``"drop"`` stores the message and closes the connection unanswered
(``httpx.RemoteProtocolError`` here), ``"hang"`` stores it and never answers
(``httpx.ReadTimeout`` once the client gives up).  :class:`FaultTransport`
forwards every request over loopback, counts those two as ``"drop"`` and
``"hang"``, and gives on a plan's demand the faults a real server cannot give
for the send calls alone:

* ``"connect"`` — raise ``httpx.ConnectError`` *before* forwarding (never reached);
* ``"timeout"`` / ``"disconnect"`` — forward, then raise ``httpx.ReadTimeout`` /
  ``httpx.RemoteProtocolError`` (what ``hang``/``drop`` do, for a test that
  needs it on one exact send without touching a shared server);
* ``"500_after"`` — forward, then answer 500 (the server acted, then failed);
* ``"503"`` — answer 503 *without* forwarding (a 5xx where nothing was stored);
* ``"429"`` — answer 429 with ``Retry-After`` without forwarding (the sandbox's
  own rate limit refuses every request, reads too).

Only the two send endpoints are ever faulted; reads always go through, so
the outbox can look.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import Outbox, OutboxEntry, State
from sendbee_tui.store import LocalStore

SEND_PATHS = ("/conversations/messages/send", "/conversations/messages/templates/send")
#: Faults after which the message is on the server (the sandbox's own: drop, hang).
ACTED = frozenset({"timeout", "disconnect", "500_after", "drop", "hang"})
NOT_ACTED = frozenset({"connect", "503", "429"})

Plan = Callable[[httpx.Request], "str | None"]


def is_send(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path in SEND_PATHS


class FaultTransport(httpx.AsyncBaseTransport):
    """Forwards to the real server; applies ``plan(request)``'s fault to send calls."""

    def __init__(self, plan: Plan | None = None) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.plan: Plan = plan or (lambda request: None)
        self.faults: Counter[str] = Counter()
        self.sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.plan(request) if is_send(request) else None
        if is_send(request):
            self.sends += 1
        if fault is None:
            return await self._forward(request)
        self.faults[fault] += 1
        if fault == "connect":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if fault == "503":
            body = {"error": {"detail": "injected: unavailable", "type": "unavailable"}}
            return httpx.Response(503, json=body, request=request)
        if fault == "429":
            body = {"error": {"detail": "injected: slow down", "type": "rate_limit"}}
            return httpx.Response(429, json=body, headers={"Retry-After": "0"}, request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        await response.aclose()
        if fault == "timeout":
            raise httpx.ReadTimeout("injected: read timed out", request=request)
        if fault == "disconnect":
            raise httpx.RemoteProtocolError("injected: server disconnected", request=request)
        if fault == "500_after":
            body = {"error": {"detail": "injected: internal error", "type": "server_error"}}
            return httpx.Response(500, json=body, request=request)
        raise AssertionError(f"unknown fault {fault!r}")

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        """Forward; a send the sandbox dropped or held unanswered is counted as such."""
        try:
            return await self.inner.handle_async_request(request)
        except httpx.TimeoutException:
            if is_send(request):
                self.faults["hang"] += 1
            raise
        except (httpx.RemoteProtocolError, httpx.ReadError):
            if is_send(request):
                self.faults["drop"] += 1
            raise

    async def aclose(self) -> None:
        await self.inner.aclose()


class Script:
    """A plan from a list: the n-th send gets ``faults[n]`` (None after the end)."""

    def __init__(self, *faults: str | None) -> None:
        self.faults = list(faults)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> str | None:
        index, self.calls = self.calls, self.calls + 1
        return self.faults[index] if index < len(self.faults) else None


class RandomFaults:
    """A seeded plan: each send faulted with probability ``rate``, kind by ``weights``."""

    def __init__(self, seed: int, rate: float, weights: dict[str, float]) -> None:
        self.rng = random.Random(seed)
        self.rate = rate
        self.kinds = list(weights)
        self.weights = list(weights.values())

    def __call__(self, request: httpx.Request) -> str | None:
        if self.rng.random() >= self.rate:
            return None
        return self.rng.choices(self.kinds, self.weights)[0]


def make_client(
    server: Any, transport: httpx.AsyncBaseTransport | None = None, *, timeout: float = 10.0
) -> SendbeeClient:
    """A client without its own retries (the outbox decides), through ``transport``.

    ``timeout``: how long a send the sandbox holds (``hang``) takes to give up.
    """
    return SendbeeClient(
        server.api_key,
        server.api_secret,
        base_url=server.base_url,
        max_retries=0,
        transport=transport,
        timeout=timeout,
    )


def fast_outbox(client: SendbeeClient, store: LocalStore, account: str, **kw: Any) -> Outbox:
    """An outbox with short schedules (the sandbox answers in milliseconds)."""
    kw.setdefault("check_schedule", (0.0, 0.05, 0.1))
    kw.setdefault("retry_delays", (0.02, 0.05))
    kw.setdefault("clock_skew", 3.0)
    kw.setdefault("poll_interval", 0.05)
    return Outbox(client, store, account, **kw)


class Recorder:
    """Collects every listener call: (entry id, state or "removed")."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def __call__(self, entry: OutboxEntry) -> None:
        self.events.append((entry.id, "removed" if entry.removed else entry.state.value))

    def states(self, entry_id: str) -> list[str]:
        """The states ``entry_id`` went through, consecutive repeats collapsed."""
        out: list[str] = []
        for eid, state in self.events:
            if eid == entry_id and (not out or out[-1] != state):
                out.append(state)
        return out


async def outbound_bodies(client: SendbeeClient, conversation_id: str) -> list[str]:
    """Every outbound message body of a conversation, oldest first (read through the API)."""
    bodies = [
        m.body or ""
        async for m in client.conversations.iter_messages(conversation_id)
        if m.direction == "outbound"
    ]
    return bodies[::-1]


def final_states(outbox: Outbox) -> Counter[State]:
    return Counter(e.state for e in outbox.journal)
