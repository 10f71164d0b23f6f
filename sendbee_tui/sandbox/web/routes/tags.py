"""``/contacts/tags``: list, create, rename, delete."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit


def list_tags(ctx: Context, p: Params, r: Request) -> Any:
    page, limit = page_limit(p)
    items, total = ctx.sandbox.tags.list_page(name=p.text("name"), page=page, limit=limit)
    return envelope_list(r, items, total, page, limit)


def create(ctx: Context, p: Params, r: Request) -> Any:
    return {"data": ctx.sandbox.tags.create(p.text("name", required=True, max_len=100) or "")}


def update(ctx: Context, p: Params, r: Request) -> Any:
    return {
        "data": ctx.sandbox.tags.update(
            p.text("id", required=True) or "",
            p.text("name", required=True, max_len=100) or "",
        )
    }


def delete(ctx: Context, p: Params, r: Request) -> Any:
    return {"data": ctx.sandbox.tags.delete(p.text("id", required=True) or "")}


ROUTES = [
    RouteSpec("GET", "/contacts/tags", list_tags),
    RouteSpec("POST", "/contacts/tags", create),
    RouteSpec("PUT", "/contacts/tags", update),
    RouteSpec("DELETE", "/contacts/tags", delete),
]
