"""``/contacts`` (list, update) and ``/contacts/subscribe``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import CONTACT_STATUSES, normalize_phone
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit


def list_contacts(ctx: Context, p: Params, r: Request) -> Any:
    page, limit = page_limit(p)
    items, total = ctx.sandbox.contacts.list_page(
        tags=p.str_list("tags") or [],
        status=p.enum("status", CONTACT_STATUSES),
        search_query=p.text("search_query"),
        page=page,
        limit=limit,
    )
    return envelope_list(r, items, total, page, limit)


def subscribe(ctx: Context, p: Params, r: Request) -> Any:
    phone = p.text("phone")
    wa = p.text("whatsapp_user_id", max_len=100)
    if phone is None and wa is None:
        raise bad_request("Either 'phone' or 'whatsapp_user_id' is required", "missing_parameter")
    p.flag("block_notifications", True)
    p.flag("block_automation", True)
    return {
        "data": ctx.sandbox.contacts.subscribe(
            phone=normalize_phone(phone) if phone is not None else None,
            whatsapp_user_id=wa if phone is None else None,
            name=p.text("name", allow_empty=True),
            tags=p.str_list("tags") or [],
            notes=p.str_list("notes") or [],
            contact_fields=p.mapping("contact_fields") or {},
        )
    }


def update(ctx: Context, p: Params, r: Request) -> Any:
    """Names the contact by ``id`` or ``whatsapp_user_id``; ``block_notifications`` is checked
    (a boolean) and otherwise has no effect in the sandbox, which sends no notifications."""
    contact_id = p.text("id")
    wa = p.text("whatsapp_user_id", max_len=100)
    if contact_id is None and wa is None:
        raise bad_request("Either 'id' or 'whatsapp_user_id' is required", "missing_parameter")
    p.flag("block_notifications", True)
    phone = p.text("phone")
    return {
        "data": ctx.sandbox.contacts.update(
            contact_id=contact_id,
            whatsapp_user_id=wa,
            phone=normalize_phone(phone) if phone is not None else None,
            name=p.text("name", allow_empty=True),
            tags=p.str_list("tags"),
            notes=p.str_list("notes") or [],
            contact_fields=p.mapping("contact_fields") or {},
        )
    }


ROUTES = [
    RouteSpec("GET", "/contacts", list_contacts),
    RouteSpec("PUT", "/contacts", update),
    RouteSpec("POST", "/contacts/subscribe", subscribe),
]
