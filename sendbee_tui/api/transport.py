"""HTTP plumbing: one pooled httpx client, auth headers, encoding, retries, logging.

Resources call :meth:`Transport.request` with a method, a path and plain Python
parameters; everything about the wire lives here so the resource modules read
like the API table in the contract.

Why one :class:`httpx.AsyncClient` per SendbeeClient: keep-alive connections are
the main speed-up over the official client (a new TLS connection per call), and
an injectable ``transport=`` makes fault injection possible in tests.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import ssl
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from . import redaction
from .auth import SendbeeAuth
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    SendbeeWarning,
    error_class_for_status,
)
from .retry import NOT_SENT_ERRORS, RetryEvent, RetryPolicy, parse_retry_after
from .wire import display_text, encode_body, encode_query, error_details, parse_json

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiResponse",
    "Transport",
    "encode_body",
    "encode_query",
    "parse_json",
    "prepare_ssl_context",
    "shared_ssl_context",
]

logger = logging.getLogger("sendbee_tui.api")

DEFAULT_BASE_URL = "https://api-v2.sendbee.io"
USER_AGENT = "sendbee-tui (python httpx)"
_CREDENTIAL_HEADERS = ("X-Api-Key", "X-Auth-Token")

Sleep = Callable[[float], Awaitable[None]]
OnRetry = Callable[[RetryEvent], Any]


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """A decoded successful response: the JSON envelope and the httpx response."""

    body: Mapping[str, Any]
    response: httpx.Response

    @property
    def data(self) -> Any:
        """The ``data`` member (or the whole body when there is no envelope)."""
        return self.body.get("data", self.body) if isinstance(self.body, Mapping) else None

    @property
    def warning(self) -> str | None:
        """The server's ``warning`` text, if any."""
        value = self.body.get("warning")
        return display_text(value) if value else None


_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CA bundle), built once per process.

    httpx builds one per client by loading the whole CA bundle, about 17 ms of CPU;
    an SSLContext is safe to share between clients and threads, so every
    SendbeeClient after the first one starts without that cost.  A caller that
    comes while :func:`prepare_ssl_context` is building it waits for that one.
    """
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
        return _ssl_context


def prepare_ssl_context() -> None:
    """Build :func:`shared_ssl_context` on a background thread, starting now.

    OpenSSL parses the CA bundle without holding the GIL, so a program that
    has other start-up work to do (the TUI importing and composing its screen)
    gets the context for free on a second core instead of waiting ~17 ms for it
    when the first client is created.
    """
    threading.Thread(target=shared_ssl_context, name="ssl-context", daemon=True).start()


def _scrub(request: httpx.Request | None) -> None:
    """Replace credential header values on a finished request.

    The request object survives inside responses and exceptions; scrubbing it
    means no later ``repr(exc.request.headers)`` can show the key or token.
    """
    if request is None:
        return
    for name in _CREDENTIAL_HEADERS:
        if name in request.headers:
            request.headers[name] = redaction.REDACTED


class Transport:
    """Sends requests for one account through one pooled ``httpx.AsyncClient``."""

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 20.0,
        max_retries: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: OnRetry | None = None,
        sleep: Sleep | None = None,
        retry_policy: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        if not api_key or not isinstance(api_key, str):
            raise ValueError("api_key is required")
        if not api_secret or not isinstance(api_secret, str):
            raise ValueError("api_secret is required")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        redaction.install()
        # Handles keep the credentials registered for log redaction while we live.
        self._redaction_handles = (
            redaction.register_secret(api_key),
            redaction.register_secret(api_secret),
        )
        self._api_key = api_key
        self._auth = SendbeeAuth(api_secret)
        self.base_url = base_url.rstrip("/")
        self.policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self.on_retry = on_retry
        self._sleep: Sleep = sleep or asyncio.sleep
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            verify=shared_ssl_context(),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": user_agent,
            },
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The pooled httpx client (exposed for advanced use; headers are set per request)."""
        return self._client

    @property
    def is_closed(self) -> bool:
        """True after :meth:`aclose`."""
        return self._client.is_closed

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._client.aclose()

    def _build(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Mapping[str, Any] | None,
    ) -> httpx.Request:
        headers = {"X-Api-Key": self._api_key, "X-Auth-Token": self._auth.token()}
        query = encode_query(params)
        # Encoded by hand so list commas stay literal (``tags=vip,new``), as the
        # contract shows; httpx's own encoder would send ``vip%2Cnew``.
        url = f"{path}?{urlencode(query, safe=',', quote_via=quote)}" if query else path
        return self._client.build_request(
            method,
            url,
            json=encode_body(json) if json is not None else None,
            headers=headers,
        )

    async def _notify(self, event: RetryEvent) -> None:
        logger.warning(
            "%s %s: retry %d in %.1f s (%s)",
            event.method,
            event.path,
            event.attempt,
            event.delay_seconds,
            event.reason,
            extra={
                "sendbee_method": event.method,
                "sendbee_path": event.path,
                "sendbee_retries": event.attempt,
            },
        )
        if self.on_retry is None:
            return
        try:
            result = self.on_retry(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            # A broken progress callback must not turn a recoverable error into a crash.
            logger.exception("on_retry callback failed")

    def _log(
        self,
        method: str,
        path: str,
        status: int | str,
        started: float,
        retries: int,
        level: int = logging.DEBUG,
    ) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        # The path only: the query can hold a searched phone number or name.
        logger.log(
            level,
            "%s %s -> %s in %.1f ms (retries=%d)",
            method,
            path,
            status,
            duration_ms,
            retries,
            extra={
                "sendbee_method": method,
                "sendbee_path": path,
                "sendbee_status": status,
                "sendbee_duration_ms": duration_ms,
                "sendbee_retries": retries,
            },
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        retry: bool = True,
    ) -> ApiResponse:
        """Send one API call, retrying per :class:`RetryPolicy`, and decode the JSON.

        ``idempotent`` overrides the method's default (GET/PUT/DELETE yes, POST no);
        ``retry=False`` disables retries entirely (used by the rate-limit error test).
        Raises an :class:`APIError` subclass for error statuses and
        :class:`APIConnectionError`/:class:`APITimeoutError` for transport failures.
        """
        method = method.upper()
        max_retries = self.policy.max_retries if retry else 0
        attempt = 0
        started = time.perf_counter()
        while True:
            request = self._build(method, path, params, json)
            try:
                response = await self._client.send(request)
            except httpx.RequestError as exc:
                # Scrub before the error is built (``finally`` runs only after it).
                _scrub(request)
                sent = not isinstance(exc, NOT_SENT_ERRORS)
                if attempt < max_retries and self.policy.may_retry_error(
                    method, exc, idempotent=idempotent
                ):
                    attempt += 1
                    delay = self.policy.backoff(attempt)
                    await self._notify(RetryEvent(method, path, attempt, delay, type(exc).__name__))
                    await self._sleep(delay)
                    continue
                self._log(method, path, type(exc).__name__, started, attempt, logging.INFO)
                raise self._connection_error(method, path, exc, sent=sent) from exc
            finally:
                _scrub(request)

            status = response.status_code
            if status < 400:
                self._log(method, path, status, started, attempt)
                return ApiResponse(self._decode(response, method, path), response)

            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if (
                attempt < max_retries
                and self.policy.may_retry_status(method, status, idempotent=idempotent)
                and (retry_after is None or retry_after <= self.policy.max_retry_after)
            ):
                attempt += 1
                delay = retry_after if retry_after is not None else self.policy.backoff(attempt)
                await self._notify(RetryEvent(method, path, attempt, delay, f"HTTP {status}"))
                await self._sleep(delay)
                continue
            self._log(method, path, status, started, attempt, logging.INFO)
            raise self._api_error(response, method, path, retry_after)

    @staticmethod
    def _connection_error(
        method: str, path: str, exc: httpx.RequestError, *, sent: bool
    ) -> APIConnectionError:
        text = redaction.redact(str(exc)) or type(exc).__name__
        # The httpx exception stays chained as __cause__ for debugging; make sure
        # its own message cannot carry a credential into a traceback either.
        if exc.args and isinstance(exc.args[0], str):
            exc.args = (redaction.redact(exc.args[0]), *exc.args[1:])
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        kind = "timed out" if cls is APITimeoutError else "connection error"
        return cls(
            f"{method} {path} {kind}: {type(exc).__name__}: {text}",
            method=method,
            path=path,
            request_sent=sent,
        )

    @staticmethod
    def _body(response: httpx.Response) -> Any:
        try:
            return parse_json(response.content)
        except ValueError:
            return None

    def _decode(self, response: httpx.Response, method: str, path: str) -> Mapping[str, Any]:
        try:
            body = parse_json(response.content)
        except ValueError as exc:
            raise APIError(
                response.status_code,
                str(exc),
                "invalid_response",
                response=response,
                method=method,
                path=path,
            ) from None
        if body is None:
            raise APIError(
                response.status_code,
                "the response body is null",
                "invalid_response",
                response=response,
                method=method,
                path=path,
            )
        envelope: Mapping[str, Any] = body if isinstance(body, Mapping) else {"data": body}
        warning = envelope.get("warning")
        if warning:
            text = display_text(warning)
            logger.warning("server warning on %s %s: %s", method, path, text)
            warnings.warn(f"Sendbee: {text}", SendbeeWarning, stacklevel=4)
        return envelope

    def _api_error(
        self, response: httpx.Response, method: str, path: str, retry_after: float | None
    ) -> APIError:
        detail, kind = error_details(self._body(response), response)
        detail = redaction.redact(detail)
        cls = error_class_for_status(response.status_code)
        if cls is RateLimitError:
            return RateLimitError(
                response.status_code,
                detail,
                kind,
                retry_after=retry_after,
                response=response,
                method=method,
                path=path,
            )
        return cls(response.status_code, detail, kind, response=response, method=method, path=path)
