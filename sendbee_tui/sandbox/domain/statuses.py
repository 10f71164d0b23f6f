"""Message status progression: materialising due changes and reporting them by webhook."""

from __future__ import annotations

from sendbee_tui.sandbox.domain.base import Event, Resource
from sendbee_tui.sandbox.domain.messages import message_json
from sendbee_tui.sandbox.domain.sqljson import message_status


class Statuses(Resource):
    """Run by the server's ticker: sent -> delivered -> read (or -> failed) as time passes."""

    def advance(self) -> int:
        """Materialise due status changes and fire their webhooks; returns how many changed."""
        now = self.clock()
        events: list[Event] = []
        with self.store.write() as conn:
            rows = conn.execute(
                f"SELECT m.*, {message_status('m')} AS status_now FROM messages m"
                " WHERE m.pending_at IS NOT NULL AND m.pending_at <= ?1 LIMIT 500",
                (now,),
            ).fetchall()
            for r in rows:
                status = r["status_now"]
                pending = r["read_at"] if status == "delivered" else None
                conn.execute(
                    "UPDATE messages SET status = ?, pending_at = ? WHERE n = ?",
                    (status, pending, r["n"]),
                )
                # Report every step, even when the ticker was late and both passed at once.
                steps = ["failed"] if status == "failed" else []
                if status in ("delivered", "read") and r["status"] == "sent":
                    steps.append("delivered")
                if status == "read":
                    steps.append("read")
                if not steps:
                    continue
                msg = message_json(conn, r["id"], now)
                for step in steps:
                    data = {
                        "message": {**msg, "status": step},
                        "conversation_id": r["conversation_id"],
                    }
                    events.append(("message.sent_status", data))
                    kind = "template" if r["is_template"] else "session"
                    events.append((f"whatsapp.message.{kind}.sent_status", data))
        self.fire(events)
        return len(rows)
