"""Exception hierarchy of the Sendbee client.

One base class (:class:`SendbeeError`) so an application can catch "anything the
API client raised" in one clause, and a subclass per failure kind so it can react
precisely: re-ask for credentials on :class:`AuthenticationError`, show the
countdown of :class:`RateLimitError`, keep the draft on :class:`APIConnectionError`.

Exception text is built only from the status, the server's ``detail``/``type``
and the request's method and path. Headers are never part of it, so the API
key and the auth token cannot leak through ``str(exc)`` or a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "NotFoundError",
    "PaginationError",
    "PaginationException",
    "RateLimitError",
    "SendbeeError",
    "SendbeeRequestApiException",
    "SendbeeWarning",
    "ServerError",
    "ValidationError",
    "error_class_for_status",
]


class SendbeeError(Exception):
    """Base class of every exception raised by :mod:`sendbee_tui.api`."""


class SendbeeWarning(UserWarning):
    """Category of :func:`warnings.warn` calls for ``warning`` texts sent by the server."""


class APIError(SendbeeError):
    """The server answered with an error status (or an unusable body).

    ``detail`` and ``type`` come from the ``{"error": {"detail", "type"}}`` envelope
    (or a top-level ``detail``); ``response`` is the :class:`httpx.Response`, whose
    request had its credential headers scrubbed before this exception was built.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        type: str | None = None,
        *,
        response: httpx.Response | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.status = status
        self.detail = detail
        self.type = type
        self.response = response
        self.method = method
        self.path = path
        super().__init__(self._message())

    @property
    def status_code(self) -> int:
        """Alias of :attr:`status` (the name httpx and requests users reach for)."""
        return self.status

    def _message(self) -> str:
        where = f" ({self.method} {self.path})" if self.method and self.path else ""
        kind = f" [{self.type}]" if self.type else ""
        return f"HTTP {self.status}{kind}: {self.detail}{where}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, detail={self.detail!r}, "
            f"type={self.type!r})"
        )


class ValidationError(APIError):
    """400 or 422: the server rejected the parameters (e.g. outside the 24-hour window)."""


class AuthenticationError(APIError):
    """401 or 403: wrong API key or secret, or a token the server did not accept."""


class NotFoundError(APIError):
    """404: unknown path or unknown object id."""


class RateLimitError(APIError):
    """429: too many requests. ``retry_after`` is the server's ``Retry-After`` in seconds."""

    def __init__(
        self,
        status: int,
        detail: str,
        type: str | None = None,
        *,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status, detail, type, response=response, method=method, path=path)


class ServerError(APIError):
    """5xx: the server failed; usually worth trying again later."""


class APIConnectionError(SendbeeError):
    """No usable HTTP response: DNS, refused connection, reset, protocol error.

    ``request_sent`` is False only when the failure certainly happened before any
    byte of the request was written (connect failed, pool exhausted), i.e. when
    the server cannot have acted on it.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_sent: bool = True,
    ) -> None:
        self.method = method
        self.path = path
        self.request_sent = request_sent
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class PaginationError(SendbeeError):
    """Asked for the page after the last one."""


#: Alias so ``except SendbeeRequestApiException`` written for the official client keeps working.
SendbeeRequestApiException = APIError
#: Alias of :class:`PaginationError` (the official client's name).
PaginationException = PaginationError


def error_class_for_status(status: int) -> type[APIError]:
    """Map an HTTP error status to the most specific :class:`APIError` subclass."""
    if status in (400, 422):
        return ValidationError
    if status in (401, 403):
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return APIError
