"""One error vocabulary for the whole tui.

Every screen turns client exceptions into words through these functions, so an
agent reads the same sentence for the same failure in the inbox, a form or a
management screen.  What to *do* next depends on whether the request may have
reached Sendbee: a write that may have arrived must never be suggested for a
blind retry (it could send a customer the same message twice), so callers ask
:func:`may_have_arrived` and pick their advice from :func:`retry_advice`.
"""

from __future__ import annotations

from sendbee_tui.api.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    RateLimitError,
    SendbeeError,
    ServerError,
)
from sendbee_tui.tui.safe_text import clean

__all__ = [
    "describe_error",
    "is_connection_problem",
    "may_have_arrived",
    "retry_advice",
]


def is_connection_problem(exc: BaseException) -> bool:
    """True for failures that mean "the server is unreachable or overloaded right now"."""
    return isinstance(exc, (APIConnectionError, ServerError, RateLimitError))


def may_have_arrived(exc: BaseException) -> bool:
    """True when a write failed in a way that does not prove the server did nothing.

    Timeouts and dropped connections after the request was written, and 5xx
    answers (the server may have acted before failing), are ambiguous.  A 4xx
    answer, a connect failure and local validation are certain: nothing happened.
    """
    if isinstance(exc, APIConnectionError):
        return bool(exc.request_sent)
    return isinstance(exc, ServerError)


def describe_error(exc: BaseException) -> str:
    """One line an agent can act on, for any exception the API client raises.

    Never includes credentials (the client strips them from every exception) and
    is cleaned of control characters, since ``detail`` is server-provided text.
    """
    if isinstance(exc, APITimeoutError):
        text = "Sendbee did not answer in time."
    elif isinstance(exc, APIConnectionError):
        text = "Cannot reach Sendbee (connection problem)."
    elif isinstance(exc, RateLimitError):
        wait = f" in {exc.retry_after:.0f} s" if exc.retry_after else " in a moment"
        text = f"Too many requests: Sendbee asks to wait. Try again{wait}."
    elif isinstance(exc, AuthenticationError):
        text = f"Sendbee refused the credentials (HTTP {exc.status}). Check the API key and secret."
    elif isinstance(exc, APIError):
        detail = exc.detail or "no details"
        if exc.status >= 500:
            text = f"Sendbee had a server error (HTTP {exc.status}): {detail}. Try again later."
        else:
            text = f"Sendbee refused this (HTTP {exc.status}): {detail}"
    elif isinstance(exc, SendbeeError):
        text = f"Request failed: {exc}"
    elif isinstance(exc, ValueError):
        text = str(exc)
    else:
        text = f"Unexpected error: {type(exc).__name__}"
    return clean(text)


def retry_advice(exc: BaseException, *, retry_key: str = "Ctrl+S") -> str:
    """What to tell the agent after a failed write, given :func:`may_have_arrived`."""
    if may_have_arrived(exc):
        return "It may have reached Sendbee: check before trying again."
    if isinstance(exc, (APIConnectionError, ServerError, RateLimitError)):
        return f"Your input is kept; try again ({retry_key})."
    return "Your input is kept."
