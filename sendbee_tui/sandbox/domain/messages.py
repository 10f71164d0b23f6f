"""Messages: the Message object, a conversation's messages, and free-form sends.

:func:`insert_outbound` is the one place an outbound message is written, shared
with template sends: it stores the future ``delivered``/``read`` times (or the
failure for an unreachable number) and turns the chatbot off unless asked not to.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sendbee_tui.sandbox import demo
from sendbee_tui.sandbox.domain.base import Domain, Resource, new_id
from sendbee_tui.sandbox.domain.contacts import by_whatsapp_user_id
from sendbee_tui.sandbox.domain.conversations import conversation_by_id
from sendbee_tui.sandbox.domain.rules import (
    CARE_WINDOW_SECONDS,
    UNREACHABLE_REASON,
    media_type_for,
)
from sendbee_tui.sandbox.domain.sqljson import JsonArray, message_status
from sendbee_tui.sandbox.errors import bad_request, not_found

#: A Message object, rendered by SQLite from a ``messages m`` row (now = ``?1``).
MESSAGE_JSON = (
    "json_object('id', m.id, 'body', m.body, 'media_type', m.media_type,"
    f" 'media_url', m.media_url, 'status', {message_status('m')}, 'direction', m.direction,"
    " 'sent_at', CAST(m.sent_at AS INTEGER),"
    f" 'fail_reason', CASE WHEN {message_status('m')} = 'failed' THEN m.fail_reason END,"
    " 'from_user_id', m.from_user_id, 'to_user_id', m.to_user_id)"
)


def message_json(conn: sqlite3.Connection, message_id: str, now: float) -> dict[str, Any]:
    """The Message object of the message with id ``message_id`` (which must exist)."""
    row = conn.execute(
        f"SELECT {MESSAGE_JSON} FROM messages m WHERE m.id = ?", (now, message_id)
    ).fetchone()
    message: dict[str, Any] = json.loads(row[0])
    return message


def resolve_recipient(
    conn: sqlite3.Connection, phone: str | None, whatsapp_user_id: str | None
) -> sqlite3.Row | None:
    """The contact row for a send, or None for a phone the sandbox has never seen."""
    if phone is not None:
        found: sqlite3.Row | None = conn.execute(
            "SELECT * FROM contacts WHERE phone = ?", (phone,)
        ).fetchone()
        return found
    return by_whatsapp_user_id(conn, whatsapp_user_id)


def check_agent(conn: sqlite3.Connection, agent_id: str | None) -> None:
    if agent_id and not conn.execute("SELECT 1 FROM members WHERE id = ?", (agent_id,)).fetchone():
        raise bad_request(f"agent_id {agent_id} is not a team member", "invalid_agent")


def insert_outbound(
    conn: sqlite3.Connection,
    domain: Domain,
    conv: sqlite3.Row,
    contact: sqlite3.Row,
    *,
    body: str,
    media_type: str,
    media_url: str | None,
    agent_id: str | None,
    prevent_bot_off: bool,
    is_template: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write an outbound message; return (the SentMessage data, the Message object)."""
    now = domain.clock()
    mid, ref = new_id(), new_id()
    if demo.unreachable(contact["phone"]):
        timing: tuple[Any, ...] = (None, None, now, now)
        fail_reason = UNREACHABLE_REASON
    else:
        timing = (
            now + domain.delivery_delay,
            now + domain.read_delay,
            None,
            now + domain.delivery_delay,
        )
        fail_reason = None
    conn.execute(
        "INSERT INTO messages(id, conversation_id, body, media_type, media_url, status,"
        " direction, sent_at, fail_reason, from_user_id, to_user_id, reference_id,"
        " delivered_at, read_at, failed_at, pending_at, is_template)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            mid,
            conv["id"],
            body,
            media_type,
            media_url,
            "sent",
            "outbound",
            now,
            fail_reason,
            agent_id or "api",
            contact["id"],
            ref,
            *timing,
            int(is_template),
        ),
    )
    chatbot = conv["chatbot_active"] if prevent_bot_off else 0
    conn.execute(
        "UPDATE conversations SET last_activity_at = ?, last_outbound_at = ?,"
        " last_message_id = ?, chatbot_active = ? WHERE id = ?",
        (now, now, mid, chatbot, conv["id"]),
    )
    message = message_json(conn, mid, now)
    sent = {
        "id": conv["id"],
        "message_id": mid,
        "message_reference_id": ref,
        "status": message["status"],
    }
    return sent, message


class Messages(Resource):
    """``/conversations/messages`` and ``/conversations/messages/send``."""

    def list_page(self, conversation_id: str, *, page: int, limit: int) -> tuple[JsonArray, int]:
        """One page of a conversation's messages, newest first."""
        with self.store.read() as conn:
            exists, total = conn.execute(
                "SELECT (SELECT 1 FROM conversations WHERE id = ?1),"
                " (SELECT COUNT(*) FROM messages WHERE conversation_id = ?1)",
                (conversation_id,),
            ).fetchone()
            if not exists:
                raise not_found("Conversation", conversation_id)
            rows = conn.execute(
                f"SELECT {MESSAGE_JSON} FROM messages m WHERE m.conversation_id = ?"
                " ORDER BY m.sent_at DESC, m.n DESC LIMIT ? OFFSET ?",
                (self.clock(), conversation_id, limit, (page - 1) * limit),
            ).fetchall()
        return JsonArray.of(rows), total

    def send(
        self,
        *,
        phone: str | None,
        whatsapp_user_id: str | None,
        text: str | None,
        media_url: str | None,
        prevent_bot_off: bool,
        agent_id: str | None,
    ) -> dict[str, Any]:
        """A free-form message: only inside the contact's 24-hour customer care window."""
        media_type = media_type_for(media_url) if media_url else "text"
        with self.store.write() as conn:
            check_agent(conn, agent_id)
            contact = resolve_recipient(conn, phone, whatsapp_user_id)
            conv = None
            if contact is not None:
                conv = conn.execute(
                    "SELECT * FROM conversations WHERE contact_id = ?", (contact["id"],)
                ).fetchone()
            last_inbound = conv["last_inbound_at"] if conv is not None else None
            if last_inbound is None or self.clock() - last_inbound > CARE_WINDOW_SECONDS:
                raise bad_request(
                    "Outside the 24-hour customer care window: the contact has not written in the"
                    " last 24 hours, so only an approved template message can be sent",
                    "outside_customer_care_window",
                )
            assert contact is not None and conv is not None
            sent, message = insert_outbound(
                conn,
                self.domain,
                conv,
                contact,
                body=text or "",
                media_type=media_type,
                media_url=media_url,
                agent_id=agent_id,
                prevent_bot_off=prevent_bot_off,
            )
            conversation = conversation_by_id(conn, conv["id"], self.clock())
        self.fire([("message.sent", {"message": message, "conversation": conversation})])
        return sent
