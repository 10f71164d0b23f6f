"""Message templates: the Template object, listing, and template sends.

A template send is the one way to write to a contact outside the 24-hour
window, so it has its own rules: the template must exist in that language and
be approved, every placeholder and dynamic button URL must get a value, and an
attachment is required exactly when the template has one, of its kind.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from sendbee_tui.sandbox.domain.base import Event, Resource, count_and_offset
from sendbee_tui.sandbox.domain.contacts import contact_row, contacts_json, new_contact
from sendbee_tui.sandbox.domain.conversations import conversation_by_id, conversation_for
from sendbee_tui.sandbox.domain.messages import check_agent, insert_outbound, resolve_recipient
from sendbee_tui.sandbox.domain.rules import media_type_for
from sendbee_tui.sandbox.errors import ApiError, not_found

#: A placeholder: ``{{1}}`` (numbered, WhatsApp's own form) or ``{name}`` (named, the
#: form Sendbee's documentation shows: ``"Welcome {name}!"`` filled by ``tags={"name": ...}``).
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholder_names(*texts: str) -> list[str]:
    """The placeholders of ``texts``: numbered ones by number, then named ones in order."""
    numbered: set[str] = set()
    named: list[str] = []
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) is not None:
                numbered.add(match.group(1))
            elif match.group(2) not in named:
                named.append(match.group(2))
    return sorted(numbered, key=int) + named


def spelled(name: str) -> str:
    """A placeholder as it appears in the text: ``{{1}}`` or ``{name}``."""
    return "{{" + name + "}}" if name.isdigit() else "{" + name + "}"


def button_placeholder_names(buttons: list[dict[str, Any]]) -> list[str]:
    """The placeholders in the buttons' values (dynamic URLs)."""
    return placeholder_names(*(str(b.get("value", "")) for b in buttons))


def template_json(r: sqlite3.Row) -> dict[str, Any]:
    text = r["text"]
    buttons = json.loads(r["buttons"])
    return {
        "id": r["id"],
        "keyword": r["keyword"],
        "name": r["name"],
        "category": r["category"],
        "language": r["language"],
        "status": r["status"],
        "text": text,
        "tags": [{"name": n} for n in placeholder_names(text)],
        "buttons": buttons,
        "button_tags": [{"name": n} for n in button_placeholder_names(buttons)],
        "attachment": r["attachment"],
        "rejected_reason": r["rejected_reason"],
    }


def fill(text: str, values: dict[str, str], what: str) -> str:
    """``text`` with every placeholder replaced; 422 naming the ones without a value.

    Numbered and named placeholders follow the same rule: a missing or blank value is
    ``missing_template_tags``, whatever the kind.
    """
    missing = [n for n in placeholder_names(text) if not str(values.get(n, "")).strip()]
    if missing:
        raise ApiError(
            422,
            f"Missing template {what} for placeholders: {', '.join(map(spelled, missing))}",
            "missing_template_tags",
        )
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1) or m.group(2)]), text)


class Templates(Resource):
    """``/conversations/messages/templates`` and ``.../templates/send``."""

    def list_page(
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
            total, offset = count_and_offset(conn, where_sql, params, "FROM templates", page, limit)
            rows = conn.execute(
                f"SELECT * FROM templates {where_sql} ORDER BY seq LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [template_json(r) for r in rows], total

    def _approved(self, conn: sqlite3.Connection, keyword: str, language: str) -> sqlite3.Row:
        tpl: sqlite3.Row | None = conn.execute(
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
        return tpl

    @staticmethod
    def _media(tpl: sqlite3.Row, keyword: str, attachment: str | None) -> tuple[str, str | None]:
        """(media_type, media_url) of the sent message, checking the attachment rules."""
        if tpl["attachment"] is None:
            if attachment:
                raise ApiError(
                    422,
                    f"Template {keyword!r} does not take an attachment",
                    "attachment_not_allowed",
                )
            return "text", None
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
                f"Template {keyword!r} takes a {tpl['attachment']} attachment, got a {kind}",
                "attachment_type_mismatch",
            )
        return kind, attachment

    def send(
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
        """Send an approved template; a new phone gets a contact and a conversation."""
        events: list[Event] = []
        with self.store.write() as conn:
            check_agent(conn, agent_id)
            tpl = self._approved(conn, keyword, language)
            body = fill(tpl["text"], tags, "tags")
            buttons = json.loads(tpl["buttons"])
            missing = [
                n
                for n in button_placeholder_names(buttons)
                if not str(button_tags.get(n, "")).strip()
            ]
            if missing:
                raise ApiError(
                    422,
                    "Missing button_tags for the dynamic button URL: "
                    + ", ".join(map(spelled, missing)),
                    "missing_button_tags",
                )
            media_type, media_url = self._media(tpl, keyword, attachment)
            contact = resolve_recipient(conn, phone, whatsapp_user_id)
            if contact is None:
                assert phone is not None
                cid = new_contact(conn, phone, self.clock())
                contact = contact_row(conn, cid)
                events.append(("contact.created", contacts_json(conn, [cid])[0]))
            conv = conversation_for(conn, contact["id"], self.clock())
            sent, message = insert_outbound(
                conn,
                self.domain,
                conv,
                contact,
                body=body,
                media_type=media_type,
                media_url=media_url,
                agent_id=agent_id,
                prevent_bot_off=prevent_bot_off,
                is_template=True,
            )
            conversation = conversation_by_id(conn, conv["id"], self.clock())
        events.append(("message.sent", {"message": message, "conversation": conversation}))
        self.fire(events)
        return sent
