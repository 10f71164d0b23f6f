"""Keep credentials out of log output.

The client itself never logs headers or bodies, but debug logging of httpx and
httpcore is a common troubleshooting step and a single misplaced ``%r`` is
enough to leak a key. :class:`RedactionFilter` is a second line of defence: it
rewrites any record that contains a registered secret, API key or anything that
looks like a Sendbee auth token (``base64("<digits>.<64 hex>")``), or a value
following an ``X-Api-Key``/``X-Auth-Token`` header name.

It is attached to the ``sendbee_tui.api`` logger and to the httpx/httpcore
loggers our requests go through. Logger filters do not apply to records that
propagate from child loggers, which is why each httpcore module logger is named.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
import weakref

__all__ = ["LOGGER_NAMES", "REDACTED", "RedactionFilter", "install", "redact", "register_secret"]

REDACTED = "[redacted]"

#: Loggers whose records can describe our requests.
LOGGER_NAMES: tuple[str, ...] = (
    "sendbee_tui.api",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)

_B64_RUN = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
_TOKEN_PLAIN = re.compile(r"[0-9]{1,12}\.[0-9a-f]{64}")
_HEADER_VALUE = re.compile(
    r"(?i)(x-api-key|x-auth-token|x-authorization)"  # header name
    r"(['\"]?\s*[:=,]\s*b?['\"]?)"  # separator as in "k: v", 'k': 'v', (b'k', b'v')
    r"(?!\[redacted\])([^'\"\s,)}\]]+)"  # the value, unless already redacted
)

_lock = threading.Lock()
_secrets: weakref.WeakValueDictionary[int, _Secret] = weakref.WeakValueDictionary()


class _Secret:
    """A registered secret string; unregistered when its owner is garbage-collected."""

    __slots__ = ("__weakref__", "value")

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "_Secret(<hidden>)"


def register_secret(value: str) -> _Secret:
    """Register ``value`` for redaction while the returned handle is alive.

    The owner (a transport) keeps the handle; when the owner goes away the value
    is forgotten, so the registry does not grow with every client ever created.
    """
    handle = _Secret(value)
    if len(value) >= 4:  # redacting "a" everywhere would garble every log line
        with _lock:
            _secrets[id(handle)] = handle
    return handle


def _looks_like_token(candidate: str) -> bool:
    try:
        decoded = base64.b64decode(candidate, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    return _TOKEN_PLAIN.fullmatch(decoded) is not None


def redact(text: str) -> str:
    """Return ``text`` with secrets, auth tokens and credential header values replaced."""
    with _lock:
        values = sorted((s.value for s in _secrets.values()), key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, REDACTED)
    text = _B64_RUN.sub(lambda m: REDACTED if _looks_like_token(m.group(0)) else m.group(0), text)
    text = _TOKEN_PLAIN.sub(REDACTED, text)
    return _HEADER_VALUE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)


class RedactionFilter(logging.Filter):
    """Rewrites a record's message when it contains anything :func:`redact` removes.

    Never drops a record. The merged message replaces ``msg``/``args`` only when
    something was redacted, so ordinary records keep their lazy formatting.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the handler's problem, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_text is None and record.exc_info[1] is not None:
            # Format the traceback now, redacted, so handlers reuse our text.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
        return True


_FILTER = RedactionFilter()


def install() -> None:
    """Attach the shared filter to every logger in :data:`LOGGER_NAMES` (idempotent)."""
    for name in LOGGER_NAMES:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
