"""The whole domain in one object: the store plus one instance of every resource.

The HTTP routes call ``sandbox.<resource>.<operation>(...)``; the control
endpoints, the simulator and :class:`~sendbee_tui.sandbox.SandboxServer` use the
shortcuts below. Operations take already-validated Python values and raise
:class:`~sendbee_tui.sandbox.errors.ApiError` when a domain rule says no.
"""

from __future__ import annotations

from typing import Any

from sendbee_tui.sandbox import demo
from sendbee_tui.sandbox.domain.base import Domain
from sendbee_tui.sandbox.domain.chatbot import Chatbot
from sendbee_tui.sandbox.domain.contacts import Contacts
from sendbee_tui.sandbox.domain.conversations import Conversations
from sendbee_tui.sandbox.domain.customers import Customers
from sendbee_tui.sandbox.domain.fields import Fields
from sendbee_tui.sandbox.domain.messages import Messages
from sendbee_tui.sandbox.domain.statuses import Statuses
from sendbee_tui.sandbox.domain.tags import Tags
from sendbee_tui.sandbox.domain.teams import Teams
from sendbee_tui.sandbox.domain.templates import Templates
from sendbee_tui.sandbox.domain.webhooks import Webhooks
from sendbee_tui.sandbox.store import Store


class Sandbox(Domain):
    """Domain operations over a :class:`Store`, grouped by resource like ``sendbee_tui.api``."""

    def __init__(
        self,
        store: Store,
        *,
        seed: int,
        size: demo.DemoSize,
        delivery_delay: float = 2.0,
        read_delay: float = 6.0,
    ) -> None:
        super().__init__(store, delivery_delay=delivery_delay, read_delay=read_delay)
        self.seed = seed
        self.size = size
        self.contacts = Contacts(self)
        self.tags = Tags(self)
        self.fields = Fields(self)
        self.conversations = Conversations(self)
        self.messages = Messages(self)
        self.templates = Templates(self)
        self.teams = Teams(self)
        self.chatbot = Chatbot(self)
        self.webhooks = Webhooks(self)
        self.customers = Customers(self)
        self.statuses = Statuses(self)

    def reset(self) -> None:
        """Throw everything away and regenerate the demo data set."""
        self.store.seed(seed=self.seed, size=self.size, wipe=True)

    def inbound(
        self,
        *,
        phone: str,
        text: str,
        name: str | None = None,
        media_type: str | None = None,
        media_url: str | None = None,
    ) -> dict[str, Any]:
        """A customer writes in (see :meth:`Customers.write_in`)."""
        return self.customers.write_in(
            phone=phone, text=text, name=name, media_type=media_type, media_url=media_url
        )

    def advance_statuses(self) -> int:
        """Materialise due message status changes (see :meth:`Statuses.advance`)."""
        return self.statuses.advance()

    def webhooks_for(self, event: str) -> list[dict[str, Any]]:
        """The endpoints that want ``event`` (the webhook dispatcher's lookup)."""
        return self.webhooks.targets(event)
