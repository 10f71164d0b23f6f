"""One class per API resource; :class:`~sendbee_tui.api.client.SendbeeClient` holds one of each."""

from .chatbot import Chatbot
from .contacts import Contacts
from .conversations import Conversations
from .fields import Fields
from .messages import Messages
from .rate_limit import RateLimit
from .tags import Tags
from .teams import Teams
from .templates import Templates
from .webhooks import Webhooks

__all__ = [
    "Chatbot",
    "Contacts",
    "Conversations",
    "Fields",
    "Messages",
    "RateLimit",
    "Tags",
    "Teams",
    "Templates",
    "Webhooks",
]
