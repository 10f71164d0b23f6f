"""``/contacts/fields``: list, create, update, delete custom contact fields."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import FIELD_TYPES
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit


def list_fields(ctx: Context, p: Params, r: Request) -> Any:
    page, limit = page_limit(p)
    items, total = ctx.sandbox.fields.list_page(
        search_query=p.text("search_query"), page=page, limit=limit
    )
    return envelope_list(r, items, total, page, limit)


def create(ctx: Context, p: Params, r: Request) -> Any:
    return {
        "data": ctx.sandbox.fields.create(
            p.text("name", required=True, max_len=100) or "",
            p.enum("type", FIELD_TYPES, required=True) or "",
            p.str_list("options"),
        )
    }


def update(ctx: Context, p: Params, r: Request) -> Any:
    return {
        "data": ctx.sandbox.fields.update(
            p.text("id", required=True) or "",
            p.text("name", max_len=100),
            p.enum("type", FIELD_TYPES),
            p.str_list("options"),
        )
    }


def delete(ctx: Context, p: Params, r: Request) -> Any:
    return {"data": ctx.sandbox.fields.delete(p.text("id", required=True) or "")}


ROUTES = [
    RouteSpec("GET", "/contacts/fields", list_fields),
    RouteSpec("POST", "/contacts/fields", create),
    RouteSpec("PUT", "/contacts/fields", update),
    RouteSpec("DELETE", "/contacts/fields", delete),
]
