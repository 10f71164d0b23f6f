"""``/webhooks/subscribe``: have Sendbee call a URL on events."""

from __future__ import annotations

from ..models import Webhook
from ..validation import WEBHOOK_EVENTS, validate_choice, validate_url
from ._base import Resource

__all__ = ["Webhooks"]


class Webhooks(Resource):
    """Webhook subscriptions."""

    async def subscribe(self, url: str, event: str) -> Webhook:
        """Subscribe ``url`` to one ``event``; subscribing again adds the event.

        The returned :class:`~sendbee_tui.api.models.Webhook` carries ``secret_key``
        for verifying the webhook's ``X-Auth-Token`` with :class:`SendbeeAuth`.
        """
        body = {
            "url": validate_url(url, "url"),
            "event": validate_choice(event, WEBHOOK_EVENTS, "event"),
        }
        return await self._one("POST", "/webhooks/subscribe", Webhook, json=body)
