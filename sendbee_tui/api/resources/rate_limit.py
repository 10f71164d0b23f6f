"""``/rate-limit/*``: endpoints for testing rate-limit handling."""

from __future__ import annotations

from ..models import RateLimitStatus
from ._base import Resource

__all__ = ["RateLimit"]


class RateLimit(Resource):
    """Rate-limit test endpoints."""

    async def request_test(self) -> RateLimitStatus:
        """A request that counts against the rate limit like any other."""
        return await self._one("GET", "/rate-limit/request-test", RateLimitStatus)

    async def error_test(self) -> RateLimitStatus:
        """Always answered with 429: raises :class:`~sendbee_tui.api.errors.RateLimitError`.

        Not retried (retrying a guaranteed 429 would only waste the caller's time);
        the error carries the server's ``retry_after``.
        """
        return await self._one("GET", "/rate-limit/error-test", RateLimitStatus, retry=False)
