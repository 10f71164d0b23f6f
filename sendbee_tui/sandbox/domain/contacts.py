"""Contacts: the Contact object, listing, subscribing and updating.

Helpers that other resources need when a send or a customer message creates a
contact (:func:`new_contact`, :func:`contact_row`, :func:`contacts_json`) live
here at module level and take the open connection, so they run inside the
caller's transaction.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Sequence
from typing import Any

from sendbee_tui.sandbox.domain.base import (
    Event,
    Resource,
    add_name_or_phone_search,
    count_and_offset,
    new_id,
)
from sendbee_tui.sandbox.domain.fields import set_field_values
from sendbee_tui.sandbox.domain.sqljson import JsonArray, array_of, boolean, ts
from sendbee_tui.sandbox.domain.tags import ensure_tags
from sendbee_tui.sandbox.errors import bad_request, not_found

_TAGS = array_of(
    "json_object('id', x.id, 'name', x.name)",
    "SELECT t.id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
    " WHERE ct.contact_id = c.id ORDER BY t.name",
)
_NOTES = array_of(
    "json_object('id', x.id, 'value', x.value)",
    "SELECT id, value FROM notes WHERE contact_id = c.id ORDER BY n",
)
_FIELD_VALUES = array_of(
    "json_object('key', x.name, 'value', x.value)",
    "SELECT f.name, fv.value FROM contact_field_values fv JOIN fields f ON f.id = fv.field_id"
    " WHERE fv.contact_id = c.id ORDER BY f.created_at",
)
#: A Contact object, rendered by SQLite from a ``contacts c`` row.
CONTACT_JSON = (
    "json_object('id', c.id, 'name', c.name, 'phone', c.phone,"
    " 'whatsapp_user_id', c.whatsapp_user_id, 'status', c.status,"
    " 'folder', COALESCE((SELECT v.folder FROM conversations v WHERE v.contact_id = c.id), 'open'),"
    f" 'created_at', {ts('c.created_at')}, 'modified_at', {ts('c.modified_at')},"
    f" 'has_messaging_consent', {boolean('c.has_messaging_consent')},"
    f" 'tags', {_TAGS}, 'notes', {_NOTES}, 'contact_fields', {_FIELD_VALUES})"
)


def contacts_json(conn: sqlite3.Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Full Contact objects, in the order of ``ids`` (unknown ids are left out)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rendered = dict(
        conn.execute(f"SELECT c.id, {CONTACT_JSON} FROM contacts c WHERE c.id IN ({marks})", ids)
    )
    return [json.loads(rendered[i]) for i in ids if i in rendered]


def contact_row(conn: sqlite3.Connection, contact_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        raise not_found("Contact", contact_id)
    return row


def by_whatsapp_user_id(conn: sqlite3.Connection, whatsapp_user_id: str | None) -> sqlite3.Row:
    """The contact with that WhatsApp user id; 404 when there is none."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM contacts WHERE whatsapp_user_id = ?", (whatsapp_user_id,)
    ).fetchone()
    if row is None:
        raise not_found("Contact with whatsapp_user_id", whatsapp_user_id)
    return row


def new_contact(
    conn: sqlite3.Connection, phone: str, now: float, name: str = "", status: str = "subscribed"
) -> str:
    """Insert a contact (with a made-up WhatsApp user id); returns its id."""
    cid = new_id()
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM contacts").fetchone()[0]
    conn.execute(
        "INSERT INTO contacts(id, name, phone, whatsapp_user_id, status, created_at,"
        " modified_at, has_messaging_consent, seq) VALUES (?,?,?,?,?,?,?,?,?)",
        (cid, name, phone, f"XX.{secrets.randbelow(10**19):019d}", status, now, now, 1, seq),
    )
    return cid


def add_notes(conn: sqlite3.Connection, cid: str, notes: list[str], now: float) -> None:
    conn.executemany(
        "INSERT INTO notes(id, contact_id, value, created_at) VALUES (?,?,?,?)",
        [(new_id(), cid, n, now) for n in notes],
    )


class Contacts(Resource):
    """``/contacts`` and ``/contacts/subscribe``."""

    def list_page(
        self,
        *,
        tags: list[str],
        status: str | None,
        search_query: str | None,
        page: int,
        limit: int,
    ) -> tuple[JsonArray, int]:
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if status:
            where.append("c.status = ?")
            params.append(status)
        for tag in tags:
            where.append(
                "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                " WHERE ct.contact_id = c.id AND t.name = ? COLLATE NOCASE)"
            )
            params.append(tag)
        add_name_or_phone_search(where, params, search_query)
        where_sql = "WHERE " + " AND ".join(where)
        with self.store.read() as conn:
            total, offset = count_and_offset(
                conn, where_sql, params, "FROM contacts c", page, limit
            )
            rows = conn.execute(
                f"SELECT {CONTACT_JSON} FROM contacts c {where_sql}"
                " ORDER BY c.created_at DESC, c.seq DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return JsonArray.of(rows), total

    def subscribe(
        self,
        *,
        phone: str | None,
        whatsapp_user_id: str | None = None,
        name: str | None,
        tags: list[str],
        notes: list[str],
        contact_fields: dict[str, Any],
    ) -> dict[str, Any]:
        """Create the contact, or re-subscribe and update an existing one.

        ``phone`` finds or creates the contact (a ``whatsapp_user_id`` next to it is
        ignored, as WhatsApp gives the phone precedence); without a phone, the
        ``whatsapp_user_id`` must name a contact the sandbox knows (404 otherwise: a
        contact cannot be created without a phone number).
        """
        events: list[Event] = []
        with self.store.write() as conn:
            now = self.clock()
            if phone is not None:
                row = conn.execute("SELECT id FROM contacts WHERE phone = ?", (phone,)).fetchone()
            else:
                row = by_whatsapp_user_id(conn, whatsapp_user_id)
            created = row is None
            if created:
                assert phone is not None
                cid = new_contact(conn, phone, now, name or "")
            else:
                cid = row["id"]
                sets = ["status = 'subscribed'", "modified_at = ?"]
                vals: list[Any] = [now]
                if name is not None:
                    sets.append("name = ?")
                    vals.append(name)
                conn.execute(f"UPDATE contacts SET {', '.join(sets)} WHERE id = ?", [*vals, cid])
            for tag_id in ensure_tags(conn, tags, now):
                conn.execute("INSERT OR IGNORE INTO contact_tags VALUES (?,?)", (cid, tag_id))
            add_notes(conn, cid, notes, now)
            set_field_values(conn, cid, contact_fields)
            contact = contacts_json(conn, [cid])[0]
        if created:
            events += [("contact.created", contact), ("contact.subscription_created", contact)]
        else:
            events.append(("contact.subscription_updated", contact))
        self.fire(events)
        return contact

    def update(
        self,
        *,
        contact_id: str | None,
        whatsapp_user_id: str | None = None,
        phone: str | None,
        name: str | None,
        tags: list[str] | None,
        notes: list[str],
        contact_fields: dict[str, Any],
    ) -> dict[str, Any]:
        """Update the contact named by ``contact_id``, or else by ``whatsapp_user_id``.

        Given both, they must name the same contact (400 otherwise): the WhatsApp
        user id identifies, it is never overwritten.
        """
        with self.store.write() as conn:
            now = self.clock()
            if contact_id is not None:
                row = contact_row(conn, contact_id)
                if whatsapp_user_id is not None and row["whatsapp_user_id"] != whatsapp_user_id:
                    raise bad_request(
                        f"'id' {contact_id} and 'whatsapp_user_id' {whatsapp_user_id} name"
                        " different contacts",
                        "conflicting_parameters",
                    )
            else:
                row = by_whatsapp_user_id(conn, whatsapp_user_id)
            contact_id = str(row["id"])
            sets = ["modified_at = ?"]
            vals: list[Any] = [now]
            if phone is not None:
                other = conn.execute(
                    "SELECT id FROM contacts WHERE phone = ? AND id != ?", (phone, contact_id)
                ).fetchone()
                if other is not None:
                    raise bad_request(
                        f"phone {phone} already belongs to another contact", "duplicate"
                    )
                sets.append("phone = ?")
                vals.append(phone)
            if name is not None:
                sets.append("name = ?")
                vals.append(name)
            conn.execute(f"UPDATE contacts SET {', '.join(sets)} WHERE id = ?", [*vals, contact_id])
            if tags is not None:  # sandbox choice: tags on update replace the set
                conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (contact_id,))
                for tag_id in ensure_tags(conn, tags, now):
                    conn.execute(
                        "INSERT OR IGNORE INTO contact_tags VALUES (?,?)", (contact_id, tag_id)
                    )
            add_notes(conn, contact_id, notes, now)
            set_field_values(conn, contact_id, contact_fields)
            contact = contacts_json(conn, [contact_id])[0]
        self.fire([("contact.subscription_updated", contact)])
        return contact
