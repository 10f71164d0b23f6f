"""The entry point: :class:`SendbeeClient`."""

from __future__ import annotations

from types import TracebackType

import httpx

from .resources import (
    Chatbot,
    Contacts,
    Conversations,
    Fields,
    Messages,
    RateLimit,
    Tags,
    Teams,
    Templates,
    Webhooks,
)
from .retry import RetryPolicy
from .transport import DEFAULT_BASE_URL, OnRetry, Sleep, Transport

__all__ = ["SendbeeClient"]


class SendbeeClient:
    """Async client for the Sendbee REST API, one instance per account.

    Use it as an async context manager (or call :meth:`aclose`) so the pooled
    keep-alive connections are closed::

        async with SendbeeClient(api_key, api_secret) as sb:
            page = await sb.contacts.list(status="subscribed", limit=100)

    ``transport`` replaces httpx's network transport (tests inject faults with it).
    ``on_retry`` is called with a :class:`~sendbee_tui.api.retry.RetryEvent` before
    each retry wait; ``sleep`` replaces :func:`asyncio.sleep` for those waits.
    The credentials are kept private and never appear in ``repr``.
    """

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 20.0,
        max_retries: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: OnRetry | None = None,
        *,
        sleep: Sleep | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self._transport = Transport(
            api_key,
            api_secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            transport=transport,
            on_retry=on_retry,
            sleep=sleep,
            retry_policy=retry_policy,
        )
        self.contacts = Contacts(self._transport)
        self.tags = Tags(self._transport)
        self.fields = Fields(self._transport)
        self.conversations = Conversations(self._transport)
        self.templates = Templates(self._transport)
        self.messages = Messages(self._transport)
        self.teams = Teams(self._transport)
        self.chatbot = Chatbot(self._transport)
        self.webhooks = Webhooks(self._transport)
        self.rate_limit = RateLimit(self._transport)

    def __repr__(self) -> str:
        return f"SendbeeClient(base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        """The API root, without a trailing slash."""
        return self._transport.base_url

    @property
    def transport(self) -> Transport:
        """The request layer (retry policy, ``on_retry`` hook, pooled httpx client)."""
        return self._transport

    @property
    def is_closed(self) -> bool:
        """True once :meth:`aclose` ran."""
        return self._transport.is_closed

    async def aclose(self) -> None:
        """Close the pooled connections. Safe to call twice."""
        await self._transport.aclose()

    async def __aenter__(self) -> SendbeeClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
