"""The customer side: a customer writes in (``/_sandbox/inbound``, the simulator)."""

from __future__ import annotations

from typing import Any

from sendbee_tui.sandbox import demo
from sendbee_tui.sandbox.domain.base import Event, Resource, new_id
from sendbee_tui.sandbox.domain.contacts import contact_row, contacts_json, new_contact
from sendbee_tui.sandbox.domain.conversations import conversation_by_id, conversation_for
from sendbee_tui.sandbox.domain.messages import message_json


class Customers(Resource):
    """What the business's customers do; not part of the Sendbee API."""

    def write_in(
        self,
        *,
        phone: str,
        text: str,
        name: str | None = None,
        media_type: str | None = None,
        media_url: str | None = None,
    ) -> dict[str, Any]:
        """A customer message: creates contact/conversation if new, opens the 24 h window.

        A ``done`` or ``notified`` conversation moves back to ``open``.
        """
        events: list[Event] = []
        with self.store.write() as conn:
            contact = conn.execute("SELECT * FROM contacts WHERE phone = ?", (phone,)).fetchone()
            if contact is None:
                cid = new_contact(conn, phone, self.clock(), name or "")
                contact = contact_row(conn, cid)
                events.append(("contact.created", contacts_json(conn, [cid])[0]))
            conv = conversation_for(conn, contact["id"], self.clock())
            now = self.clock()
            mid = new_id()
            conn.execute(
                "INSERT INTO messages(id, conversation_id, body, media_type, media_url, status,"
                " direction, sent_at, from_user_id, to_user_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    mid,
                    conv["id"],
                    text,
                    media_type or ("text" if not media_url else "document"),
                    media_url,
                    "received",
                    "inbound",
                    now,
                    contact["id"],
                    demo.BUSINESS_ID,
                ),
            )
            folder = "open" if conv["folder"] in ("done", "notified") else conv["folder"]
            conn.execute(
                "UPDATE conversations SET last_activity_at = ?, last_inbound_at = ?,"
                " last_message_id = ?, folder = ? WHERE id = ?",
                (now, now, mid, folder, conv["id"]),
            )
            message = message_json(conn, mid, now)
            conversation = conversation_by_id(conn, conv["id"], now)
            contact_json = contacts_json(conn, [contact["id"]])[0]
        events.append(
            (
                "message.received",
                {"message": message, "conversation": conversation, "contact": contact_json},
            )
        )
        self.fire(events)
        return {
            "conversation_id": conversation["id"],
            "message": message,
            "conversation": conversation,
        }
