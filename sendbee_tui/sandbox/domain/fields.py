"""Contact fields (custom fields): CRUD, and validating a contact's values by field type."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from sendbee_tui.sandbox.domain.base import Resource, count_and_offset, new_id
from sendbee_tui.sandbox.errors import bad_request, not_found


def field_json(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"],
        "name": r["name"],
        "type": r["type"],
        "options": json.loads(r["options"]),
    }


def field_value(key: str, type_: str, options: list[str], raw: Any) -> str | None:
    """Validate a custom field value against its type; stored as text (None clears it)."""
    if raw is None or raw == "":
        return None
    if type_ == "boolean":
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if str(raw).lower() in ("true", "false", "1", "0"):
            return "true" if str(raw).lower() in ("true", "1") else "false"
        raise bad_request(f"contact_fields['{key}'] must be a boolean", "invalid_field_value")
    if isinstance(raw, (dict, list)):
        raise bad_request(f"contact_fields['{key}'] must be a scalar value", "invalid_field_value")
    text = str(raw)
    if type_ == "number":
        try:
            float(text)
        except ValueError:
            raise bad_request(
                f"contact_fields['{key}'] must be a number, got {text!r}", "invalid_field_value"
            ) from None
    elif type_ == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise bad_request(
                f"contact_fields['{key}'] must be a date YYYY-MM-DD, got {text!r}",
                "invalid_field_value",
            )
    elif type_ == "list" and text not in options:
        raise bad_request(
            f"contact_fields['{key}'] must be one of {options}, got {text!r}",
            "invalid_field_value",
        )
    return text


def set_field_values(conn: sqlite3.Connection, contact_id: str, values: dict[str, Any]) -> None:
    """Overwrite the given custom fields; unknown field names are ignored (contract)."""
    for key, raw in values.items():
        field = conn.execute(
            "SELECT id, type, options FROM fields WHERE name = ? COLLATE NOCASE", (key,)
        ).fetchone()
        if field is None:
            continue
        value = field_value(key, field["type"], json.loads(field["options"]), raw)
        if value is None:
            conn.execute(
                "DELETE FROM contact_field_values WHERE contact_id = ? AND field_id = ?",
                (contact_id, field["id"]),
            )
        else:
            conn.execute(
                "INSERT OR REPLACE INTO contact_field_values(contact_id, field_id, value)"
                " VALUES (?,?,?)",
                (contact_id, field["id"], value),
            )


class Fields(Resource):
    """``/contacts/fields``."""

    def list_page(
        self, *, search_query: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where_sql = ""
        params: list[Any] = []
        if search_query:
            where_sql, params = "WHERE instr(fold(name), ?) > 0", [search_query.casefold()]
        with self.store.read() as conn:
            total, offset = count_and_offset(conn, where_sql, params, "FROM fields", page, limit)
            rows = conn.execute(
                f"SELECT * FROM fields {where_sql} ORDER BY created_at LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [field_json(r) for r in rows], total

    def create(self, name: str, type_: str, options: list[str] | None) -> dict[str, Any]:
        if type_ == "list" and not options:
            raise bad_request("'options' is required (a non-empty list) for a field of type 'list'")
        with self.store.write() as conn:
            if conn.execute(
                "SELECT 1 FROM fields WHERE name = ? COLLATE NOCASE", (name,)
            ).fetchone():
                raise bad_request(f"A field named {name!r} already exists", "duplicate")
            fid = new_id()
            opts: list[str] = (options or []) if type_ == "list" else []
            conn.execute(
                "INSERT INTO fields(id, name, type, options, created_at) VALUES (?,?,?,?,?)",
                (fid, name, type_, json.dumps(opts), self.clock()),
            )
            row = conn.execute("SELECT * FROM fields WHERE id = ?", (fid,)).fetchone()
        return field_json(row)

    def update(
        self, field_id: str, name: str | None, type_: str | None, options: list[str] | None
    ) -> dict[str, Any]:
        with self.store.write() as conn:
            row = conn.execute("SELECT * FROM fields WHERE id = ?", (field_id,)).fetchone()
            if row is None:
                raise not_found("Field", field_id)
            new_name = name if name is not None else row["name"]
            new_type = type_ if type_ is not None else row["type"]
            new_opts = options if options is not None else json.loads(row["options"])
            if new_type == "list" and not new_opts:
                raise bad_request(
                    "'options' is required (a non-empty list) for a field of type 'list'"
                )
            if new_type != "list":
                new_opts = []
            if conn.execute(
                "SELECT 1 FROM fields WHERE name = ? COLLATE NOCASE AND id != ?",
                (new_name, field_id),
            ).fetchone():
                raise bad_request(f"A field named {new_name!r} already exists", "duplicate")
            conn.execute(
                "UPDATE fields SET name = ?, type = ?, options = ? WHERE id = ?",
                (new_name, new_type, json.dumps(new_opts), field_id),
            )
            row = conn.execute("SELECT * FROM fields WHERE id = ?", (field_id,)).fetchone()
        return field_json(row)

    def delete(self, field_id: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM fields WHERE id = ?", (field_id,)).fetchone():
                raise not_found("Field", field_id)
            conn.execute("DELETE FROM contact_field_values WHERE field_id = ?", (field_id,))
            conn.execute("DELETE FROM fields WHERE id = ?", (field_id,))
        return {"message": "Contact field deleted"}
