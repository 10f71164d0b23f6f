"""``/conversations`` (list) and ``/conversation`` (get one, move it to a folder)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import FOLDERS, MOVABLE_FOLDERS
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit


def list_conversations(ctx: Context, p: Params, r: Request) -> Any:
    page, limit = page_limit(p)
    items, total = ctx.sandbox.conversations.list_page(
        folder=p.enum("folder", FOLDERS),
        search_query=p.text("search_query"),
        date_from=p.number("date_from"),
        date_to=p.number("date_to"),
        page=page,
        limit=limit,
    )
    return envelope_list(r, items, total, page, limit)


def get(ctx: Context, p: Params, r: Request) -> Any:
    return {"data": ctx.sandbox.conversations.get(p.text("conversation_id", required=True) or "")}


def move(ctx: Context, p: Params, r: Request) -> Any:
    cid = p.text("conversation_id", required=True) or ""
    folder = p.enum("folder", MOVABLE_FOLDERS, required=True) or ""
    return {"data": ctx.sandbox.conversations.move(cid, folder)}


ROUTES = [
    RouteSpec("GET", "/conversations", list_conversations),
    RouteSpec("GET", "/conversation", get),
    RouteSpec("POST", "/conversation", move),
]
