"""Conversations: the Conversation object, listing, one by id, moving between folders."""

from __future__ import annotations

import sqlite3
from typing import Any

from sendbee_tui.sandbox.domain.base import (
    Resource,
    add_name_or_phone_search,
    count_and_offset,
    effective_status,
    fmt_ts,
    new_id,
)
from sendbee_tui.sandbox.errors import not_found

#: A conversation with its contact and the fields of its last message it shows.
CONV_SELECT = (
    "SELECT v.*, c.name AS c_name, c.phone AS c_phone, c.whatsapp_user_id AS c_wa,"
    " m.direction AS m_direction, m.status AS m_status, m.delivered_at AS m_delivered_at,"
    " m.read_at AS m_read_at, m.failed_at AS m_failed_at"
    " FROM conversations v JOIN contacts c ON c.id = v.contact_id"
    " LEFT JOIN messages m ON m.id = v.last_message_id"
)


def conversation_json(r: sqlite3.Row, now: float) -> dict[str, Any]:
    """A Conversation object from a ``CONV_SELECT`` row."""
    status = None
    if r["m_status"] is not None:
        status = effective_status(
            {
                "status": r["m_status"],
                "delivered_at": r["m_delivered_at"],
                "read_at": r["m_read_at"],
                "failed_at": r["m_failed_at"],
            },
            now,
        )
    return {
        "id": r["id"],
        "folder": r["folder"],
        "chatbot_active": bool(r["chatbot_active"]),
        "platform": r["platform"],
        "created_at": fmt_ts(r["created_at"]),
        "contact": {
            "id": r["contact_id"],
            "name": r["c_name"],
            "phone": r["c_phone"],
            "whatsapp_user_id": r["c_wa"],
        },
        "last_message": {
            "direction": r["m_direction"],
            "status": status,
            "inbound_sent_at": fmt_ts(r["last_inbound_at"]),
            "outbound_sent_at": fmt_ts(r["last_outbound_at"]),
        },
    }


def conversation_by_id(
    conn: sqlite3.Connection, conversation_id: str, now: float
) -> dict[str, Any]:
    row = conn.execute(f"{CONV_SELECT} WHERE v.id = ?", (conversation_id,)).fetchone()
    if row is None:
        raise not_found("Conversation", conversation_id)
    return conversation_json(row, now)


def conversation_for(conn: sqlite3.Connection, contact_id: str, now: float) -> sqlite3.Row:
    """The contact's conversation row, created (open, chatbot off) when there is none."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM conversations WHERE contact_id = ?", (contact_id,)
    ).fetchone()
    if row is not None:
        return row
    conn.execute(
        "INSERT INTO conversations(id, contact_id, folder, chatbot_active, platform,"
        " created_at, last_activity_at) VALUES (?,?,?,?,?,?,?)",
        (new_id(), contact_id, "open", 0, "whatsapp", now, now),
    )
    created: sqlite3.Row = conn.execute(
        "SELECT * FROM conversations WHERE contact_id = ?", (contact_id,)
    ).fetchone()
    return created


class Conversations(Resource):
    """``/conversations`` and ``/conversation``."""

    def list_page(
        self,
        *,
        folder: str | None,
        search_query: str | None,
        date_from: float | None,
        date_to: float | None,
        page: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if folder:
            where.append("v.folder = ?")
            params.append(folder)
        if date_from is not None:
            where.append("v.last_activity_at >= ?")
            params.append(date_from)
        if date_to is not None:
            where.append("v.last_activity_at <= ?")
            params.append(date_to)
        add_name_or_phone_search(where, params, search_query)
        where_sql = "WHERE " + " AND ".join(where)
        base = "FROM conversations v JOIN contacts c ON c.id = v.contact_id"
        with self.store.read() as conn:
            total, offset = count_and_offset(conn, where_sql, params, base, page, limit)
            rows = conn.execute(
                f"{CONV_SELECT} {where_sql}"
                " ORDER BY v.last_activity_at DESC, v.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            now = self.clock()
            return [conversation_json(r, now) for r in rows], total

    def get(self, conversation_id: str) -> dict[str, Any]:
        with self.store.read() as conn:
            return conversation_by_id(conn, conversation_id, self.clock())

    def move(self, conversation_id: str, folder: str) -> dict[str, Any]:
        with self.store.write() as conn:
            before = conversation_by_id(conn, conversation_id, self.clock())
            conn.execute(
                "UPDATE conversations SET folder = ? WHERE id = ?", (folder, conversation_id)
            )
            conv = conversation_by_id(conn, conversation_id, self.clock())
        if before["folder"] != folder:
            self.fire([("conversation.change_folder", conv)])
        return conv
