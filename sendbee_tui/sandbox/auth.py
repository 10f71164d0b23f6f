"""The Sendbee request signature, implemented independently of ``sendbee_tui.api``.

The sandbox deliberately re-reads the contract instead of importing the client's
implementation: if both sides shared one function, a misreading of the contract
would pass every test. Token format: ``base64("<unix ts>.<hex hmac-sha256(ts, secret)>")``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

#: The documented expiry of a token, in seconds, applied in both directions
#: (stale tokens and tokens from a clock too far in the future are rejected).
TOKEN_WINDOW_SECONDS = 15 * 60


def sign(secret: str, timestamp: int) -> str:
    """Return the lowercase hex HMAC-SHA256 of the decimal timestamp, keyed with ``secret``."""
    return hmac.new(
        secret.encode("utf-8"), str(timestamp).encode("ascii"), hashlib.sha256
    ).hexdigest()


def make_token(secret: str, timestamp: float | None = None) -> str:
    """Build an ``X-Auth-Token`` / ``X-Authorization`` value (used to sign webhooks)."""
    ts = int(time.time() if timestamp is None else timestamp)
    raw = f"{ts}.{sign(secret, ts)}".encode("ascii")
    return base64.b64encode(raw).decode("ascii")


def check_token(
    secret: str, token: str | None, *, now: float | None = None, window: int = TOKEN_WINDOW_SECONDS
) -> str | None:
    """Validate a token; return ``None`` when valid, else a human-readable reason.

    A reason instead of a bare bool lets the server answer 401 with a precise
    ``error.detail`` (expired vs. malformed vs. wrong signature), which is what a
    developer debugging a clock skew or a wrong secret needs. Never raises.
    """
    if not token:
        return "Missing X-Auth-Token header"
    try:
        decoded = base64.b64decode(token.encode("ascii"), validate=True).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        return "Malformed X-Auth-Token: not base64 of '<timestamp>.<signature>'"
    ts_text, sep, signature = decoded.partition(".")
    if not sep or "." in signature or not ts_text.isdigit() or not signature:
        return "Malformed X-Auth-Token: expected base64 of '<timestamp>.<signature>'"
    ts = int(ts_text)
    current = time.time() if now is None else now
    if ts < current - window:
        return "Expired X-Auth-Token: its timestamp is more than 15 minutes old"
    if ts > current + window:
        return "X-Auth-Token timestamp is more than 15 minutes in the future (check the clock)"
    if not hmac.compare_digest(signature, sign(secret, ts)):
        return "Invalid X-Auth-Token signature (wrong API secret?)"
    return None
