"""The sandbox's domain logic: what each Sendbee call does to the data.

Kept apart from the HTTP layer so the same operations serve the REST handlers,
the control endpoints, the customer simulator and ``SandboxServer.inbound``.
Methods take already-validated Python values and raise :class:`ApiError` for
domain rule violations. Webhook events are emitted only after the write
transaction commits, so a receiver never hears about a rolled-back change.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from sendbee_tui.sandbox import demo
from sendbee_tui.sandbox.errors import ApiError, bad_request, not_found
from sendbee_tui.sandbox.store import PLACEHOLDER, Store, effective_status, fmt_ts

log = logging.getLogger(__name__)

FOLDERS = ("open", "done", "spam", "notified")
MOVABLE_FOLDERS = ("open", "done")
CONTACT_STATUSES = ("subscribed", "unsubscribed")
TEMPLATE_STATUSES = ("pending", "approved", "rejected")
FIELD_TYPES = ("text", "number", "list", "date", "boolean")
WEBHOOK_EVENTS = (
    "contact.created",
    "contact.subscription_created",
    "contact.subscription_updated",
    "contact.unsubscribed",
    "message.received",
    "message.sent",
    "message.sent_status",
    "whatsapp.message.session.sent_status",
    "whatsapp.message.template.sent_status",
    "whatsapp.message.template.approval_status",
    "conversation.change_folder",
)
CARE_WINDOW_SECONDS = 24 * 3600
MAX_TEXT = 4096

#: Media extensions the contract allows, by WhatsApp media type.
MEDIA_EXTENSIONS = {
    "image": ("jpg", "jpeg", "png"),
    "video": ("mp4", "3gp", "3gpp"),
    "audio": ("aac", "m4a", "amr", "mp3", "ogg", "opus"),
    "document": ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx"),
}
UNREACHABLE_REASON = (
    "Message undeliverable: the recipient is not a WhatsApp user"
    " (sandbox: numbers ending in 000 are unreachable)"
)
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")

Emit = Callable[[str, dict[str, Any]], None]


def normalize_phone(value: str, name: str = "phone") -> str:
    """E.164 with a leading ``+``; spaces, dashes, dots and parentheses are tolerated."""
    cleaned = re.sub(r"[\s\-().]", "", value)
    if not PHONE_RE.match(cleaned):
        raise bad_request(
            f"'{name}' must be an E.164 phone number: '+' then 8 to 15 digits, e.g. +385911234567",
            "invalid_phone",
        )
    return cleaned


def media_type_for(url: str, name: str = "media_url") -> str:
    """The WhatsApp media type a URL's extension maps to, or a precise 400."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad_request(f"'{name}' must be an absolute http(s) URL", "invalid_url")
    ext = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    for media_type, exts in MEDIA_EXTENSIONS.items():
        if ext in exts:
            return media_type
    allowed = ", ".join(e for exts in MEDIA_EXTENSIONS.values() for e in exts)
    raise bad_request(
        f"'{name}' has an unsupported media format {('.' + ext) if ext else '(no extension)'};"
        f" supported: {allowed}",
        "unsupported_media",
    )


def _new_id() -> str:
    return str(uuid.uuid4())


class Sandbox:
    """Domain operations over a :class:`Store`."""

    def __init__(
        self,
        store: Store,
        *,
        seed: int,
        size: demo.DemoSize,
        delivery_delay: float = 2.0,
        read_delay: float = 6.0,
    ) -> None:
        self.store = store
        self.seed = seed
        self.size = size
        self.delivery_delay = delivery_delay
        self.read_delay = read_delay
        self._emit: Emit = lambda event, data: None

    @property
    def clock(self) -> Callable[[], float]:
        return self.store.clock

    def set_emitter(self, emit: Emit) -> None:
        """Route webhook events (to the dispatcher, once the server loop runs)."""
        self._emit = emit

    def _fire(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        for event, data in events:
            try:
                self._emit(event, data)
            except Exception:  # a broken emitter must never fail the API call
                log.exception("webhook emit failed for %s", event)

    def reset(self) -> None:
        self.store.seed(seed=self.seed, size=self.size, wipe=True)

    # -- pagination -----------------------------------------------------------------
    @staticmethod
    def _page(
        conn: sqlite3.Connection,
        where_sql: str,
        params: list[Any],
        base: str,
        page: int,
        limit: int,
    ) -> tuple[int, int]:
        """Count the matches; return (total, offset)."""
        total = conn.execute(f"SELECT COUNT(*) {base} {where_sql}", params).fetchone()[0]
        return total, (page - 1) * limit

    # -- contacts -------------------------------------------------------------------
    def list_contacts(
        self,
        *,
        tags: list[str],
        status: str | None,
        search_query: str | None,
        page: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
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
        self._search(where, params, search_query)
        where_sql = "WHERE " + " AND ".join(where)
        with self.store.read() as conn:
            total, offset = self._page(conn, where_sql, params, "FROM contacts c", page, limit)
            ids = [
                r[0]
                for r in conn.execute(
                    f"SELECT c.id FROM contacts c {where_sql}"
                    " ORDER BY c.created_at DESC, c.seq DESC LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                )
            ]
            return self.store.contacts_by_ids(conn, ids), total

    @staticmethod
    def _search(where: list[str], params: list[Any], query: str | None) -> None:
        """Name (Unicode case-insensitive) or phone digits contain the query."""
        if not query or not query.strip():
            return
        q = query.strip()
        digits = "".join(ch for ch in q if ch.isdigit())
        # Digits-only queries also match phones; '+' may arrive as ' ' from unencoded URLs.
        if digits and re.fullmatch(r"[\s+\d\-()]+", q):
            where.append("(instr(fold(c.name), ?) > 0 OR instr(digits(c.phone), ?) > 0)")
            params.extend([q.casefold(), digits])
        else:
            where.append("instr(fold(c.name), ?) > 0")
            params.append(q.casefold())

    def _contact_row(self, conn: sqlite3.Connection, contact_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        if row is None:
            raise not_found("Contact", contact_id)
        return row

    def _ensure_tags(self, conn: sqlite3.Connection, names: list[str]) -> list[str]:
        """Tag ids for names, creating unknown tags (subscribe semantics)."""
        ids = []
        for name in names:
            row = conn.execute(
                "SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)
            ).fetchone()
            if row is None:
                tag_id = _new_id()
                conn.execute(
                    "INSERT INTO tags(id, name, created_at) VALUES (?,?,?)",
                    (tag_id, name, self.clock()),
                )
                ids.append(tag_id)
            else:
                ids.append(row[0])
        return ids

    def _set_fields(
        self, conn: sqlite3.Connection, contact_id: str, values: dict[str, Any]
    ) -> None:
        """Overwrite the given custom fields; unknown field names are ignored (contract)."""
        for key, raw in values.items():
            field = conn.execute(
                "SELECT id, type, options FROM fields WHERE name = ? COLLATE NOCASE", (key,)
            ).fetchone()
            if field is None:
                continue
            value = self._field_value(key, field["type"], json.loads(field["options"]), raw)
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

    @staticmethod
    def _field_value(key: str, type_: str, options: list[str], raw: Any) -> str | None:
        """Validate a custom field value against its type; stored as text."""
        if raw is None or raw == "":
            return None
        if type_ == "boolean":
            if isinstance(raw, bool):
                return "true" if raw else "false"
            if str(raw).lower() in ("true", "false", "1", "0"):
                return "true" if str(raw).lower() in ("true", "1") else "false"
            raise bad_request(f"contact_fields['{key}'] must be a boolean", "invalid_field_value")
        if isinstance(raw, (dict, list)):
            raise bad_request(
                f"contact_fields['{key}'] must be a scalar value", "invalid_field_value"
            )
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

    def _new_contact(
        self, conn: sqlite3.Connection, phone: str, name: str = "", status: str = "subscribed"
    ) -> str:
        cid = _new_id()
        now = self.clock()
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM contacts").fetchone()[0]
        conn.execute(
            "INSERT INTO contacts(id, name, phone, whatsapp_user_id, status, created_at,"
            " modified_at, has_messaging_consent, seq) VALUES (?,?,?,?,?,?,?,?,?)",
            (cid, name, phone, f"XX.{secrets.randbelow(10**19):019d}", status, now, now, 1, seq),
        )
        return cid

    def subscribe_contact(
        self,
        *,
        phone: str,
        name: str | None,
        tags: list[str],
        notes: list[str],
        contact_fields: dict[str, Any],
    ) -> dict[str, Any]:
        events: list[tuple[str, dict[str, Any]]] = []
        with self.store.write() as conn:
            row = conn.execute("SELECT id FROM contacts WHERE phone = ?", (phone,)).fetchone()
            created = row is None
            cid = self._new_contact(conn, phone, name or "") if created else row[0]
            if not created:
                sets = ["status = 'subscribed'", "modified_at = ?"]
                vals: list[Any] = [self.clock()]
                if name is not None:
                    sets.append("name = ?")
                    vals.append(name)
                conn.execute(f"UPDATE contacts SET {', '.join(sets)} WHERE id = ?", [*vals, cid])
            for tag_id in self._ensure_tags(conn, tags):
                conn.execute("INSERT OR IGNORE INTO contact_tags VALUES (?,?)", (cid, tag_id))
            self._add_notes(conn, cid, notes)
            self._set_fields(conn, cid, contact_fields)
            contact = self.store.contacts_by_ids(conn, [cid])[0]
        if created:
            events += [("contact.created", contact), ("contact.subscription_created", contact)]
        else:
            events.append(("contact.subscription_updated", contact))
        self._fire(events)
        return contact

    def _add_notes(self, conn: sqlite3.Connection, cid: str, notes: list[str]) -> None:
        conn.executemany(
            "INSERT INTO notes(id, contact_id, value, created_at) VALUES (?,?,?,?)",
            [(_new_id(), cid, n, self.clock()) for n in notes],
        )

    def update_contact(
        self,
        *,
        contact_id: str,
        phone: str | None,
        name: str | None,
        tags: list[str] | None,
        notes: list[str],
        contact_fields: dict[str, Any],
    ) -> dict[str, Any]:
        with self.store.write() as conn:
            self._contact_row(conn, contact_id)
            sets = ["modified_at = ?"]
            vals: list[Any] = [self.clock()]
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
                for tag_id in self._ensure_tags(conn, tags):
                    conn.execute(
                        "INSERT OR IGNORE INTO contact_tags VALUES (?,?)", (contact_id, tag_id)
                    )
            self._add_notes(conn, contact_id, notes)
            self._set_fields(conn, contact_id, contact_fields)
            contact = self.store.contacts_by_ids(conn, [contact_id])[0]
        self._fire([("contact.subscription_updated", contact)])
        return contact

    # -- tags -----------------------------------------------------------------------
    def list_tags(
        self, *, name: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where_sql = ""
        params: list[Any] = []
        if name:
            where_sql, params = "WHERE instr(fold(name), ?) > 0", [name.casefold()]
        with self.store.read() as conn:
            total, offset = self._page(conn, where_sql, params, "FROM tags", page, limit)
            rows = conn.execute(
                f"SELECT id, name FROM tags {where_sql}"
                " ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [{"id": r[0], "name": r[1]} for r in rows], total

    def create_tag(self, name: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if conn.execute("SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE", (name,)).fetchone():
                raise bad_request(f"A tag named {name!r} already exists", "duplicate")
            tag_id = _new_id()
            conn.execute(
                "INSERT INTO tags(id, name, created_at) VALUES (?,?,?)",
                (tag_id, name, self.clock()),
            )
        return {"id": tag_id, "name": name}

    def update_tag(self, tag_id: str, name: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone():
                raise not_found("Tag", tag_id)
            if conn.execute(
                "SELECT 1 FROM tags WHERE name = ? COLLATE NOCASE AND id != ?", (name, tag_id)
            ).fetchone():
                raise bad_request(f"A tag named {name!r} already exists", "duplicate")
            conn.execute("UPDATE tags SET name = ? WHERE id = ?", (name, tag_id))
        return {"id": tag_id, "name": name}

    def delete_tag(self, tag_id: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM tags WHERE id = ?", (tag_id,)).fetchone():
                raise not_found("Tag", tag_id)
            conn.execute("DELETE FROM contact_tags WHERE tag_id = ?", (tag_id,))
            conn.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
        return {"message": "Tag deleted"}

    # -- fields ---------------------------------------------------------------------
    @staticmethod
    def _field_json(r: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": r["id"],
            "name": r["name"],
            "type": r["type"],
            "options": json.loads(r["options"]),
        }

    def list_fields(
        self, *, search_query: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where_sql = ""
        params: list[Any] = []
        if search_query:
            where_sql, params = "WHERE instr(fold(name), ?) > 0", [search_query.casefold()]
        with self.store.read() as conn:
            total, offset = self._page(conn, where_sql, params, "FROM fields", page, limit)
            rows = conn.execute(
                f"SELECT * FROM fields {where_sql} ORDER BY created_at LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [self._field_json(r) for r in rows], total

    def create_field(self, name: str, type_: str, options: list[str] | None) -> dict[str, Any]:
        if type_ == "list" and not options:
            raise bad_request("'options' is required (a non-empty list) for a field of type 'list'")
        with self.store.write() as conn:
            if conn.execute(
                "SELECT 1 FROM fields WHERE name = ? COLLATE NOCASE", (name,)
            ).fetchone():
                raise bad_request(f"A field named {name!r} already exists", "duplicate")
            fid = _new_id()
            opts = options if type_ == "list" else []
            conn.execute(
                "INSERT INTO fields(id, name, type, options, created_at) VALUES (?,?,?,?,?)",
                (fid, name, type_, json.dumps(opts), self.clock()),
            )
            row = conn.execute("SELECT * FROM fields WHERE id = ?", (fid,)).fetchone()
        return self._field_json(row)

    def update_field(
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
        return self._field_json(row)

    def delete_field(self, field_id: str) -> dict[str, Any]:
        with self.store.write() as conn:
            if not conn.execute("SELECT 1 FROM fields WHERE id = ?", (field_id,)).fetchone():
                raise not_found("Field", field_id)
            conn.execute("DELETE FROM contact_field_values WHERE field_id = ?", (field_id,))
            conn.execute("DELETE FROM fields WHERE id = ?", (field_id,))
        return {"message": "Contact field deleted"}

    # -- conversations --------------------------------------------------------------
    def list_conversations(
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
        self._search(where, params, search_query)
        where_sql = "WHERE " + " AND ".join(where)
        base = "FROM conversations v JOIN contacts c ON c.id = v.contact_id"
        with self.store.read() as conn:
            total, offset = self._page(conn, where_sql, params, base, page, limit)
            rows = conn.execute(
                f"{self.store.CONV_SELECT} {where_sql}"
                " ORDER BY v.last_activity_at DESC, v.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            return [self.store.conversation_json(r) for r in rows], total

    def _conversation(self, conn: sqlite3.Connection, conversation_id: str) -> dict[str, Any]:
        row = conn.execute(
            f"{self.store.CONV_SELECT} WHERE v.id = ?", (conversation_id,)
        ).fetchone()
        if row is None:
            raise not_found("Conversation", conversation_id)
        return self.store.conversation_json(row)

    def get_conversation(self, conversation_id: str) -> dict[str, Any]:
        with self.store.read() as conn:
            return self._conversation(conn, conversation_id)

    def move_conversation(self, conversation_id: str, folder: str) -> dict[str, Any]:
        with self.store.write() as conn:
            before = self._conversation(conn, conversation_id)
            conn.execute(
                "UPDATE conversations SET folder = ? WHERE id = ?", (folder, conversation_id)
            )
            conv = self._conversation(conn, conversation_id)
        if before["folder"] != folder:
            self._fire([("conversation.change_folder", conv)])
        return conv

    def list_messages(
        self, conversation_id: str, *, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        with self.store.read() as conn:
            if not conn.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone():
                raise not_found("Conversation", conversation_id)
            total = conn.execute(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]
            rows = conn.execute(
                "SELECT * FROM messages WHERE conversation_id = ?"
                " ORDER BY sent_at DESC, n DESC LIMIT ? OFFSET ?",
                (conversation_id, limit, (page - 1) * limit),
            ).fetchall()
            return [self.store.message_json(r) for r in rows], total

    # -- chatbot --------------------------------------------------------------------
    def set_chatbot(self, conversation_id: str, active: bool) -> dict[str, Any]:
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

    def chatbot_status(self, conversation_id: str) -> dict[str, Any]:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT chatbot_active FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        if row is None:
            raise not_found("Conversation", conversation_id)
        return {"conversation_id": conversation_id, "chatbot_active": bool(row[0])}

    # -- templates ------------------------------------------------------------------
    def list_templates(
        self, *, status: str | None, search_query: str | None, page: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if status:
            where.append("status = ?")
            params.append(status)
        if search_query:
            where.append(
                "(instr(fold(keyword), ?) > 0 OR instr(fold(name), ?) > 0"
                " OR instr(fold(text), ?) > 0)"
            )
            params += [search_query.casefold()] * 3
        where_sql = "WHERE " + " AND ".join(where)
        with self.store.read() as conn:
            total, offset = self._page(conn, where_sql, params, "FROM templates", page, limit)
            rows = conn.execute(
                f"SELECT * FROM templates {where_sql} ORDER BY seq LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [self.store.template_json(r) for r in rows], total

    # -- teams ----------------------------------------------------------------------
    def list_teams(self, member_id: str | None) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            if (
                member_id
                and not conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)).fetchone()
            ):
                raise not_found("Member", member_id)
            teams = conn.execute("SELECT * FROM teams ORDER BY seq").fetchall()
            out = []
            for t in teams:
                members = conn.execute(
                    "SELECT m.* FROM members m JOIN team_members tm ON tm.member_id = m.id"
                    " WHERE tm.team_id = ? ORDER BY m.seq",
                    (t["id"],),
                ).fetchall()
                if member_id and member_id not in {m["id"] for m in members}:
                    continue
                out.append(
                    {
                        "id": t["id"],
                        "name": t["name"],
                        "members": [
                            {
                                "id": m["id"],
                                "name": m["name"],
                                "role": m["role"],
                                "online": bool(m["online"]),
                                "available": bool(m["available"]),
                            }
                            for m in members
                        ],
                    }
                )
        return out

    def list_members(self, team_id: str | None) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            if (
                team_id
                and not conn.execute("SELECT 1 FROM teams WHERE id = ?", (team_id,)).fetchone()
            ):
                raise not_found("Team", team_id)
            members = conn.execute("SELECT * FROM members ORDER BY seq").fetchall()
            out = []
            for m in members:
                teams = conn.execute(
                    "SELECT t.id, t.name FROM teams t JOIN team_members tm ON tm.team_id = t.id"
                    " WHERE tm.member_id = ? ORDER BY t.seq",
                    (m["id"],),
                ).fetchall()
                if team_id and team_id not in {t[0] for t in teams}:
                    continue
                out.append(
                    {
                        "id": m["id"],
                        "name": m["name"],
                        "role": m["role"],
                        "online": bool(m["online"]),
                        "available": bool(m["available"]),
                        "teams": [{"id": t[0], "name": t[1]} for t in teams],
                    }
                )
        return out

    # -- sending --------------------------------------------------------------------
    def _resolve_recipient(
        self, conn: sqlite3.Connection, phone: str | None, whatsapp_user_id: str | None
    ) -> sqlite3.Row | None:
        """The contact row for a send, or None for a phone the sandbox has never seen."""
        found: sqlite3.Row | None
        if phone is not None:
            found = conn.execute("SELECT * FROM contacts WHERE phone = ?", (phone,)).fetchone()
            return found
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM contacts WHERE whatsapp_user_id = ?", (whatsapp_user_id,)
        ).fetchone()
        if row is None:
            raise not_found("Contact with whatsapp_user_id", whatsapp_user_id)
        return row

    def _check_agent(self, conn: sqlite3.Connection, agent_id: str | None) -> None:
        if (
            agent_id
            and not conn.execute("SELECT 1 FROM members WHERE id = ?", (agent_id,)).fetchone()
        ):
            raise bad_request(f"agent_id {agent_id} is not a team member", "invalid_agent")

    def _conversation_for(
        self, conn: sqlite3.Connection, contact_id: str
    ) -> tuple[sqlite3.Row, bool]:
        row = conn.execute(
            "SELECT * FROM conversations WHERE contact_id = ?", (contact_id,)
        ).fetchone()
        if row is not None:
            return row, False
        now = self.clock()
        conn.execute(
            "INSERT INTO conversations(id, contact_id, folder, chatbot_active, platform,"
            " created_at,"
            " last_activity_at) VALUES (?,?,?,?,?,?,?)",
            (_new_id(), contact_id, "open", 0, "whatsapp", now, now),
        )
        row = conn.execute(
            "SELECT * FROM conversations WHERE contact_id = ?", (contact_id,)
        ).fetchone()
        return row, True

    def _insert_outbound(
        self,
        conn: sqlite3.Connection,
        conv: sqlite3.Row,
        contact: sqlite3.Row,
        *,
        body: str,
        media_type: str,
        media_url: str | None,
        agent_id: str | None,
        prevent_bot_off: bool,
        is_template: bool = False,
    ) -> dict[str, Any]:
        now = self.clock()
        mid, ref = _new_id(), _new_id()
        if demo.unreachable(contact["phone"]):
            timing: tuple[Any, ...] = (None, None, now, now)
            fail_reason = UNREACHABLE_REASON
        else:
            timing = (
                now + self.delivery_delay,
                now + self.read_delay,
                None,
                now + self.delivery_delay,
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
            " last_message_id = ?,"
            " chatbot_active = ? WHERE id = ?",
            (now, now, mid, chatbot, conv["id"]),
        )
        row = conn.execute("SELECT * FROM messages WHERE id = ?", (mid,)).fetchone()
        return {
            "id": conv["id"],
            "message_id": mid,
            "message_reference_id": ref,
            "status": effective_status(row, now),
            "_message": self.store.message_json(row),
        }

    def send_message(
        self,
        *,
        phone: str | None,
        whatsapp_user_id: str | None,
        text: str | None,
        media_url: str | None,
        prevent_bot_off: bool,
        agent_id: str | None,
    ) -> dict[str, Any]:
        media_type = media_type_for(media_url) if media_url else "text"
        with self.store.write() as conn:
            self._check_agent(conn, agent_id)
            contact = self._resolve_recipient(conn, phone, whatsapp_user_id)
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
            sent = self._insert_outbound(
                conn,
                conv,
                contact,
                body=text or "",
                media_type=media_type,
                media_url=media_url,
                agent_id=agent_id,
                prevent_bot_off=prevent_bot_off,
            )
            conversation = self._conversation(conn, conv["id"])
        message = sent.pop("_message")
        self._fire([("message.sent", {"message": message, "conversation": conversation})])
        return sent

    def send_template(
        self,
        *,
        phone: str | None,
        whatsapp_user_id: str | None,
        keyword: str,
        language: str,
        tags: dict[str, str],
        button_tags: dict[str, str],
        attachment: str | None,
        prevent_bot_off: bool,
        agent_id: str | None,
    ) -> dict[str, Any]:
        events: list[tuple[str, dict[str, Any]]] = []
        with self.store.write() as conn:
            self._check_agent(conn, agent_id)
            tpl = conn.execute(
                "SELECT * FROM templates WHERE keyword = ? AND language = ?", (keyword, language)
            ).fetchone()
            if tpl is None:
                langs = [
                    r[0]
                    for r in conn.execute(
                        "SELECT language FROM templates WHERE keyword = ? ORDER BY language",
                        (keyword,),
                    )
                ]
                if langs:
                    raise ApiError(
                        422,
                        f"Template {keyword!r} has no {language!r} version (available: "
                        f"{', '.join(langs)})",
                        "template_language_mismatch",
                    )
                raise not_found("Template with keyword", repr(keyword))
            if tpl["status"] != "approved":
                raise ApiError(
                    422,
                    f"Template {keyword!r} ({language}) is {tpl['status']}, not approved; only"
                    " approved templates can be sent",
                    "template_not_approved",
                )
            body = self._fill(tpl["text"], tags, "tags")
            buttons = json.loads(tpl["buttons"])
            needed_button_tags = sorted(
                {n for b in buttons for n in PLACEHOLDER.findall(str(b.get("value", "")))}, key=int
            )
            missing = [n for n in needed_button_tags if not str(button_tags.get(n, "")).strip()]
            if missing:
                raise ApiError(
                    422,
                    f"Missing button_tags for the dynamic button URL: "
                    f"{', '.join('{{' + n + '}}' for n in missing)}",
                    "missing_button_tags",
                )
            media_type, media_url = "text", None
            if tpl["attachment"] is None and attachment:
                raise ApiError(
                    422,
                    f"Template {keyword!r} does not take an attachment",
                    "attachment_not_allowed",
                )
            if tpl["attachment"] is not None:
                if not attachment:
                    raise ApiError(
                        422,
                        f"Template {keyword!r} requires an attachment ({tpl['attachment']})",
                        "attachment_required",
                    )
                kind = media_type_for(attachment, "attachment")
                if kind != tpl["attachment"]:
                    raise ApiError(
                        422,
                        f"Template {keyword!r} takes a {tpl['attachment']} attachment, got a"
                        f" {kind}",
                        "attachment_type_mismatch",
                    )
                media_type, media_url = kind, attachment
            contact = self._resolve_recipient(conn, phone, whatsapp_user_id)
            if contact is None:
                assert phone is not None
                cid = self._new_contact(conn, phone)
                contact = self._contact_row(conn, cid)
                events.append(("contact.created", self.store.contacts_by_ids(conn, [cid])[0]))
            conv, _ = self._conversation_for(conn, contact["id"])
            sent = self._insert_outbound(
                conn,
                conv,
                contact,
                body=body,
                media_type=media_type,
                media_url=media_url,
                agent_id=agent_id,
                prevent_bot_off=prevent_bot_off,
                is_template=True,
            )
            conversation = self._conversation(conn, conv["id"])
        message = sent.pop("_message")
        events.append(("message.sent", {"message": message, "conversation": conversation}))
        self._fire(events)
        return sent

    @staticmethod
    def _fill(text: str, values: dict[str, str], what: str) -> str:
        needed = sorted(set(PLACEHOLDER.findall(text)), key=int)
        missing = [n for n in needed if not str(values.get(n, "")).strip()]
        if missing:
            raise ApiError(
                422,
                f"Missing template {what} for placeholders: "
                f"{', '.join('{{' + n + '}}' for n in missing)}",
                "missing_template_tags",
            )
        return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)

    # -- inbound (customer side) ----------------------------------------------------
    def inbound(
        self,
        *,
        phone: str,
        text: str,
        name: str | None = None,
        media_type: str | None = None,
        media_url: str | None = None,
    ) -> dict[str, Any]:
        """A customer writes in: creates contact/conversation if new, opens the 24 h window."""
        events: list[tuple[str, dict[str, Any]]] = []
        with self.store.write() as conn:
            contact = conn.execute("SELECT * FROM contacts WHERE phone = ?", (phone,)).fetchone()
            if contact is None:
                cid = self._new_contact(conn, phone, name or "")
                contact = self._contact_row(conn, cid)
                events.append(("contact.created", self.store.contacts_by_ids(conn, [cid])[0]))
            conv, _ = self._conversation_for(conn, contact["id"])
            now = self.clock()
            mid = _new_id()
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
            row = conn.execute("SELECT * FROM messages WHERE id = ?", (mid,)).fetchone()
            message = self.store.message_json(row)
            conversation = self._conversation(conn, conv["id"])
            contact_json = self.store.contacts_by_ids(conn, [contact["id"]])[0]
        events.append(
            (
                "message.received",
                {"message": message, "conversation": conversation, "contact": contact_json},
            )
        )
        self._fire(events)
        return {
            "conversation_id": conversation["id"],
            "message": message,
            "conversation": conversation,
        }

    # -- status progression ---------------------------------------------------------
    def advance_statuses(self) -> int:
        """Materialise due status changes and fire their webhooks; returns how many changed."""
        now = self.clock()
        events: list[tuple[str, dict[str, Any]]] = []
        with self.store.write() as conn:
            rows = conn.execute(
                "SELECT * FROM messages WHERE pending_at IS NOT NULL AND pending_at <= ? LIMIT 500",
                (now,),
            ).fetchall()
            for r in rows:
                status = effective_status(r, now)
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
                msg = self.store.message_json(
                    conn.execute("SELECT * FROM messages WHERE n = ?", (r["n"],)).fetchone()
                )
                for step in steps:
                    data = {
                        "message": {**msg, "status": step},
                        "conversation_id": r["conversation_id"],
                    }
                    events.append(("message.sent_status", data))
                    kind = "template" if r["is_template"] else "session"
                    events.append((f"whatsapp.message.{kind}.sent_status", data))
        self._fire(events)
        return len(rows)

    # -- webhooks -------------------------------------------------------------------
    def subscribe_webhook(self, url: str, event: str) -> dict[str, Any]:
        with self.store.write() as conn:
            row = conn.execute("SELECT * FROM webhooks WHERE url = ?", (url,)).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO webhooks(id, url, active, selected, secret_key, created_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (_new_id(), url, 1, json.dumps([event]), secrets.token_hex(16), self.clock()),
                )
            else:
                selected = json.loads(row["selected"])
                if event not in selected:
                    selected.append(event)
                conn.execute(
                    "UPDATE webhooks SET selected = ?, active = 1 WHERE id = ?",
                    (json.dumps(selected), row["id"]),
                )
            row = conn.execute("SELECT * FROM webhooks WHERE url = ?", (url,)).fetchone()
        return self.store.webhook_json(row)

    def webhooks_for(self, event: str) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT * FROM webhooks WHERE active = 1").fetchall()
        return [self.store.webhook_json(r) for r in rows if event in json.loads(r["selected"])]


__all__ = ["Sandbox", "fmt_ts"]
