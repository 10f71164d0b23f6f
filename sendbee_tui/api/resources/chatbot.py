"""``/automation/chatbot/activity``: switch the chatbot of a conversation on or off."""

from __future__ import annotations

from ..models import Acknowledgement, ChatbotStatus
from ..validation import require_text
from ._base import Resource

__all__ = ["Chatbot"]


class Chatbot(Resource):
    """Chatbot (automation) state per conversation."""

    async def set(self, conversation_id: str, active: bool) -> Acknowledgement:
        """Turn the chatbot on (``active=True``) or off for a conversation."""
        if not isinstance(active, bool):
            raise ValueError(f"active must be True or False (got {active!r})")
        body = {
            "conversation_id": require_text(conversation_id, "conversation_id"),
            "active": active,
        }
        return await self._one("PUT", "/automation/chatbot/activity", Acknowledgement, json=body)

    async def status(self, conversation_id: str) -> ChatbotStatus:
        """Whether the chatbot is active in a conversation."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return await self._one(
            "GET", "/automation/chatbot/activity/status", ChatbotStatus, params=params
        )
