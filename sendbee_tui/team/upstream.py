"""The hub's one connection to the real Sendbee API, signed with the real credentials.

This is the only object in the team server that holds the account's API key
and secret.  It signs every request (``X-Api-Key`` + a fresh ``X-Auth-Token``
from :class:`~sendbee_tui.api.auth.SendbeeAuth`) and forwards bytes: the body
and the raw query string go upstream untouched, the answer comes back as
status + body + the few headers a client needs (``Content-Type``, ``Retry-After``).

It never retries: reads are retried by the sessions' own clients (on 502-504),
and a write must never be repeated (a customer would get the message twice).
Failures become :class:`UpstreamFailure` with ``sent`` telling whether the
request may have reached Sendbee, so the hub can answer the session with a
status its client treats as "may have arrived" (see :mod:`sendbee_tui.team.hub`).

A 429 from Sendbee blocks the whole hub until ``Retry-After`` has passed:
every session shares the one limit, so while it is exhausted the hub answers
429 itself instead of spending more requests on certain refusals.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable

import httpx

from sendbee_tui.api import redaction
from sendbee_tui.api.auth import SendbeeAuth
from sendbee_tui.api.retry import NOT_SENT_ERRORS, parse_retry_after
from sendbee_tui.team.cache import CachedResponse

__all__ = ["Upstream", "UpstreamFailure"]

logger = logging.getLogger(__name__)

_KEPT_HEADERS = ("content-type", "retry-after")


class UpstreamFailure(Exception):
    """No answer from Sendbee. ``sent`` is False only when the request surely never left."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class Upstream:
    """Signs and forwards requests to the real API; counts them (for the benchmark and tests)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        redaction.install()
        self._redaction_handles = (
            redaction.register_secret(api_key),
            redaction.register_secret(api_secret),
        )
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._auth = SendbeeAuth(api_secret)
        # Whatever Sendbee answers, these bytes never reach a session (defence in depth:
        # no endpoint is known to echo them).
        self._never_forward = tuple({api_key.encode(), api_secret.encode()})
        self._clock = clock
        # 15 s, below the app's own 20 s timeout: the session hears the hub's
        # "may have arrived" answer instead of timing out itself.
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "sendbee-tui team hub"},
        )
        self._blocked_until = 0.0
        #: Requests actually sent upstream, by "METHOD path".
        self.counts: collections.Counter[str] = collections.Counter()

    def __repr__(self) -> str:
        return f"Upstream(base_url={self.base_url!r})"

    @property
    def total(self) -> int:
        """All requests sent upstream so far."""
        return sum(self.counts.values())

    async def aclose(self) -> None:
        await self._client.aclose()

    def _blocked(self) -> CachedResponse | None:
        remaining = self._blocked_until - self._clock()
        if remaining <= 0:
            return None
        body = (
            b'{"error": {"detail": "Sendbee\'s rate limit is exhausted for the team; '
            b'waiting for it to reset", "type": "rate_limited"}}'
        )
        return CachedResponse(
            429,
            body,
            (("content-type", "application/json"), ("retry-after", str(int(remaining) + 1))),
        )

    async def send(self, method: str, path: str, query: str, body: bytes | None) -> CachedResponse:
        """Forward one request; raises :class:`UpstreamFailure` when there is no answer."""
        blocked = self._blocked()
        if blocked is not None:
            return blocked
        headers = {"X-Api-Key": self._api_key, "X-Auth-Token": self._auth.token()}
        if body is not None:
            headers["Content-Type"] = "application/json"
        url = f"{path}?{query}" if query else path
        request = self._client.build_request(method, url, content=body, headers=headers)
        self.counts[f"{method} {path}"] += 1
        try:
            response = await self._client.send(request)
        except httpx.RequestError as exc:
            sent = not isinstance(exc, NOT_SENT_ERRORS)
            logger.warning(
                "upstream %s %s failed: %s (%s)",
                method,
                path,
                type(exc).__name__,
                "may have arrived" if sent else "not sent",
            )
            raise UpstreamFailure(f"{type(exc).__name__}", sent=sent) from None
        finally:
            for name in ("X-Api-Key", "X-Auth-Token"):
                request.headers[name] = redaction.REDACTED
        if response.status_code == 429:
            wait = parse_retry_after(response.headers.get("retry-after"))
            self._blocked_until = self._clock() + (wait if wait is not None else 5.0)
            logger.warning("Sendbee rate limit reached; holding requests for %.0f s", wait or 5.0)
        kept = tuple((k, v) for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS)
        content = response.content
        for secret in self._never_forward:
            if secret in content:
                content = content.replace(secret, redaction.REDACTED.encode())
        return CachedResponse(response.status_code, content, kept)
