"""Background webhook delivery: signed POSTs with retries, never on the request path.

Events are queued as tasks on the server's event loop; an API call returns as
soon as its transaction commits. Each attempt gets a fresh token (the receiver
checks the time window), and failed attempts back off and retry a few times.
A bounded log of deliveries is kept so tests and the control endpoint can see
what happened without running a receiver.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from sendbee_tui.sandbox.auth import make_token

log = logging.getLogger(__name__)

#: Seconds to wait before attempt 2, 3, ...; the length bounds the number of attempts.
DEFAULT_BACKOFF = (0.2, 0.5, 1.0, 2.0, 4.0)


class WebhookDispatcher:
    """Delivers events to subscribed endpoints from the server loop."""

    def __init__(
        self,
        targets: Callable[[str], list[dict[str, Any]]],
        api_secret: str,
        clock: Callable[[], float],
        *,
        backoff: tuple[float, ...] = DEFAULT_BACKOFF,
        timeout: float = 5.0,
    ) -> None:
        self._targets = targets
        self._api_secret = api_secret
        self._clock = clock
        self._backoff = backoff
        self._timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._lock = threading.Lock()
        self._in_flight = 0  # counted at emit time, so a cross-thread emit is never missed
        self.deliveries: collections.deque[dict[str, Any]] = collections.deque(maxlen=1000)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._client = httpx.AsyncClient(timeout=self._timeout, trust_env=False)

    async def stop(self) -> None:
        loop, self._loop = self._loop, None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        del loop

    def emit(self, event: str, data: dict[str, Any]) -> None:
        """Queue ``event`` for every active subscriber; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        targets = self._targets(event)
        if not targets:
            return
        body = json.dumps(
            {"type": event, "created_at": int(self._clock()), "data": data}, ensure_ascii=False
        ).encode("utf-8")
        for hook in targets:
            with self._lock:
                self._in_flight += 1
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                self._spawn(hook, event, body)
            else:
                loop.call_soon_threadsafe(self._spawn, hook, event, body)

    def _spawn(self, hook: dict[str, Any], event: str, body: bytes) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(hook, event, body))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        with self._lock:
            self._in_flight -= 1

    async def _deliver(self, hook: dict[str, Any], event: str, body: bytes) -> None:
        record: dict[str, Any] = {
            "event": event,
            "url": hook["url"],
            "webhook_id": hook["id"],
            "attempts": 0,
            "status_code": None,
            "delivered": False,
            "error": None,
            "queued_at": time.time(),
        }
        self.deliveries.append(record)
        delays = (0.0, *self._backoff)
        for delay in delays:
            if delay:
                await asyncio.sleep(delay)
            client = self._client
            if client is None:
                return
            record["attempts"] += 1
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "Sendbee-Sandbox-Webhooks/1",
                "X-Authorization": make_token(self._api_secret),
            }
            if hook.get("secret_key"):
                headers["X-Auth-Token"] = make_token(hook["secret_key"])
            try:
                response = await client.post(hook["url"], content=body, headers=headers)
            except httpx.HTTPError as exc:
                record["error"] = type(exc).__name__
                log.info("webhook %s to %s failed: %s", event, hook["url"], type(exc).__name__)
                continue
            record["status_code"] = response.status_code
            if 200 <= response.status_code < 300:
                record["delivered"] = True
                record["error"] = None
                return
            record["error"] = f"HTTP {response.status_code}"
        log.warning(
            "webhook %s to %s gave up after %d attempts", event, hook["url"], record["attempts"]
        )

    def pending(self) -> int:
        """How many deliveries are still in flight (tests wait for zero)."""
        with self._lock:
            return self._in_flight
