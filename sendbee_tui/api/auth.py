"""The ``X-Auth-Token`` scheme of the Sendbee API, both directions.

Token: ``base64("<ts>.<hex>")`` where ``<ts>`` is Unix time in whole seconds and
``<hex>`` the lowercase hex HMAC-SHA256 of the ``<ts>`` string keyed with the API
secret. The client *makes* tokens for every request; an integrator *verifies*
them on incoming webhooks, which is why :meth:`SendbeeAuth.verify` lives here too.

Unlike the official client's ``check_auth_token`` (which never expires old tokens
and raises on malformed input), :meth:`verify` rejects stale *and* far-future
tokens and answers ``False`` to anything malformed, using a constant-time compare.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import time

__all__ = ["DEFAULT_MAX_AGE", "SendbeeAuth"]

#: The documented token expiry: 15 minutes.
DEFAULT_MAX_AGE = 900

# Whole seconds, ASCII digits only; 12 digits reach the year 33658, enough to
# refuse absurd values before int() and datetime arithmetic see them.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def _finite(value: object) -> bool:
    """A real number (not a bool, not a numeric string) that is neither nan nor ±inf."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class SendbeeAuth:
    """Makes and checks Sendbee auth tokens for one API secret.

    The secret is kept in a private slot and never shown by ``repr``/``str``.
    """

    __slots__ = ("_key",)

    def __init__(self, secret: str | bytes) -> None:
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if not isinstance(secret, bytes):
            raise TypeError("the API secret must be str or bytes")
        self._key = secret

    def __repr__(self) -> str:
        return "SendbeeAuth(secret=<hidden>)"

    __str__ = __repr__

    def _digest(self, timestamp: str) -> str:
        return hmac.new(self._key, timestamp.encode("ascii"), hashlib.sha256).hexdigest()

    def token(self, timestamp: float | None = None) -> str:
        """Return a token for ``timestamp`` (default: now), as the ``X-Auth-Token`` value."""
        ts = str(int(time.time() if timestamp is None else timestamp))
        return base64.b64encode(f"{ts}.{self._digest(ts)}".encode("ascii")).decode("ascii")

    def verify(
        self, token: object, max_age: float = DEFAULT_MAX_AGE, *, now: float | None = None
    ) -> bool:
        """True only for a well-formed token signed with this secret within ``max_age`` s of now.

        The window applies both ways: a replayed old token and one dated far in the
        future (a clock attack, or a forged timestamp) are both refused. Never raises
        for bad input: a webhook endpoint should answer 401, not crash. A ``max_age``
        or ``now`` that is not a finite number (``nan`` compares false with
        everything, ``inf`` would accept any age) refuses every token.
        """
        current = time.time() if now is None else now
        if not (_finite(max_age) and _finite(current)) or max_age < 0:
            return False
        if isinstance(token, str):
            if not token.isascii():
                return False
            token = token.encode("ascii")
        if not isinstance(token, bytes):
            return False
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            return False
        ts, dot, mac = decoded.partition(".")
        if not dot or not _TIMESTAMP.fullmatch(ts) or not _HEX_DIGEST.fullmatch(mac):
            return False
        if abs(current - int(ts)) > max_age:
            return False
        return hmac.compare_digest(self._digest(ts), mac)
