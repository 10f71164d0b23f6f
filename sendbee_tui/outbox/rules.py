"""Did a failed send reach Sendbee?  The one rule every sender must share.

The outbox sorts every exception a send can raise into three outcomes:

* :attr:`Outcome.FAILED` — certainly not delivered, and trying again as is
  would fail again: a 4xx answer (validation, window closed, unknown
  template) or a local ``ValueError``.
* :attr:`Outcome.NOT_SENT` — certainly never reached the server and worth
  sending later unchanged: the connection could not be opened (the client
  says ``request_sent=False``) or the server asked us to slow down (429 is
  refused before the send is processed).
* :attr:`Outcome.AMBIGUOUS` — may have arrived: a timeout or a dropped
  connection after the request may have been written, any 5xx (the server
  may have acted before failing), a success status with an unreadable body,
  and anything unexpected.  Only reading the conversation can tell.

:func:`may_have_arrived` is the same rule as a yes/no question; it lives here
(not in the tui) so that the outbox, which must not import Textual, and every
screen give the same answer.
"""

from __future__ import annotations

import re
from enum import Enum

from sendbee_tui.api.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "NOT_SEEN",
    "WINDOW_CLOSED",
    "Outcome",
    "classify",
    "describe",
    "may_have_arrived",
]

#: ``error`` of an entry failed by the ``window_open`` check before it was sent.
WINDOW_CLOSED = "24-hour window closed while queued"
#: ``error`` of an entry whose fate stayed unknown after the bounded look.
NOT_SEEN = "not seen on the server"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MAX_ERROR = 300


class Outcome(Enum):
    """What a failed send means for the entry."""

    FAILED = "failed"
    NOT_SENT = "not_sent"
    AMBIGUOUS = "ambiguous"


def may_have_arrived(exc: BaseException) -> bool:
    """True when a write failed in a way that does not prove the server did nothing.

    Timeouts and dropped connections after the request was written, and 5xx
    answers, are ambiguous.  A 4xx answer, a connect failure and local
    validation are certain: nothing happened.
    """
    if isinstance(exc, APIConnectionError):
        return bool(exc.request_sent)
    return isinstance(exc, ServerError)


def classify(exc: BaseException) -> Outcome:
    """Sort a send's exception into :class:`Outcome` (see the module docstring)."""
    if isinstance(exc, APIConnectionError):
        return Outcome.AMBIGUOUS if exc.request_sent else Outcome.NOT_SENT
    if isinstance(exc, RateLimitError):
        return Outcome.NOT_SENT
    if isinstance(exc, APIError):
        if 400 <= exc.status < 500:
            return Outcome.FAILED
        return Outcome.AMBIGUOUS  # 5xx, or 2xx/3xx with a body we could not use
    if isinstance(exc, ValueError):
        return Outcome.FAILED
    return Outcome.AMBIGUOUS


def describe(exc: BaseException) -> str:
    """A short reason for the entry's ``error`` (no credentials; control characters removed).

    The client already strips credentials from every exception; the server's
    ``detail`` is untrusted text, so the UI must still render it as plain text.
    """
    if isinstance(exc, APITimeoutError):
        text = "Sendbee did not answer in time"
    elif isinstance(exc, APIConnectionError):
        text = "connection problem" if exc.request_sent else "cannot reach Sendbee"
    elif isinstance(exc, RateLimitError):
        text = "too many requests: Sendbee asked to wait"
    elif isinstance(exc, APIError):
        text = f"HTTP {exc.status}: {exc.detail}"
    elif isinstance(exc, ValueError):
        text = str(exc)
    else:
        text = f"unexpected error: {type(exc).__name__}"
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 1] + "…"
