"""The chatbot switch of a conversation (``/automation/chatbot/activity``)."""

from __future__ import annotations

from typing import Any

from sendbee_tui.sandbox.domain.base import Resource
from sendbee_tui.sandbox.errors import not_found


class Chatbot(Resource):
    """Turning a conversation's chatbot on or off, and reading that switch."""

    def set(self, conversation_id: str, active: bool) -> dict[str, Any]:
        with self.store.write() as conn:
            cur = conn.execute(
                "UPDATE conversations SET chatbot_active = ? WHERE id = ?",
                (int(active), conversation_id),
            )
            if cur.rowcount == 0:
                raise not_found("Conversation", conversation_id)
        return {
            "message": f"Chatbot {'activated' if active else 'deactivated'} for the conversation"
        }

    def status(self, conversation_id: str) -> dict[str, Any]:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT chatbot_active FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        if row is None:
            raise not_found("Conversation", conversation_id)
        return {"conversation_id": conversation_id, "chatbot_active": bool(row[0])}
