"""Contact tags: CRUD, and turning tag names into ids (creating unknown ones)."""

from __future__ import annotations

import sqlite3
from typing import Any

from sendbee_tui.sandbox.domain.base import Resource, count_and_offset, new_id
from sendbee_tui.sandbox.errors import bad_request, not_found


def ensure_tags(conn: sqlite3.Connection, names: list[str], now: float) -> list[str]:
    """Tag ids for names (case-insensitive), creating unknown tags (subscribe semantics)."""
    ids = []
    for name in names:
        row = conn.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        if row is None:
            tag_id = new_id()
            conn.execute(
                "INSERT INTO tags(id, name, created_at) VALUES (?,?,?)", (tag_id, name, now)
            )
            ids.append(tag_id)
        else:
            ids.append(row[0])
    return ids


class Tags(Resource):
    """``/contacts/tags``."""

    def list_page(
        self, *, name: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where_sql = ""
        params: list[Any] = []
        if name:
            where_sql, params = "WHERE instr(fold(name), ?) > 0", [name.casefold()]
        with self.store.read() as conn:
            total, offset = count_and_offset(conn, where_sql, params, "FROM tags", page, limit)
            rows = conn.execute(
                f"SELECT id, name FROM tags {where_sql}"
                " ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [{"id": r[0], "name": r[1]} for r in rows], total

    def create(self, name: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if conn.execute("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE", (name,)).fetchone():
                raise bad_request(f"A tag named {name!r} already exists", "duplicate")
            tag_id = new_id()
            conn.execute(
                "INSERT INTO tags(id, name, created_at) VALUES (?,?,?)",
                (tag_id, name, self.clock()),
            )
        return {"id": tag_id, "name": name}

    def update(self, tag_id: str, name: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone():
                raise not_found("Tag", tag_id)
            if conn.execute(
                "SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE AND id != ?", (name, tag_id)
            ).fetchone():
                raise bad_request(f"A tag named {name!r} already exists", "duplicate")
            conn.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tag_id))
        return {"id": tag_id, "name": name}

    def delete(self, tag_id: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone():
                raise not_found("Tag", tag_id)
            conn.execute("DELETE FROM contact_tags WHERE tag_id = ?", (tag_id,))
            conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
        return {"message": "Tag deleted"}
