"""``/conversations/messages/templates`` (list) and ``.../templates/send``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import TEMPLATE_STATUSES
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit, recipient


def list_templates(ctx: Context, p: Params, r: Request) -> Any:
    page, limit = page_limit(p)
    items, total = ctx.sandbox.templates.list_page(
        status=p.enum("status", TEMPLATE_STATUSES),
        search_query=p.text("search_query"),
        page=page,
        limit=limit,
    )
    return envelope_list(r, items, total, page, limit)


def send(ctx: Context, p: Params, r: Request) -> Any:
    phone, wa = recipient(p)
    keyword = p.text("template_keyword", max_len=200) or p.text("keyword", max_len=200)
    if keyword is None:
        raise bad_request("Missing required parameter 'template_keyword'", "missing_parameter")
    p.flag("live_inbox", False)
    return {
        "data": ctx.sandbox.templates.send(
            phone=phone,
            whatsapp_user_id=wa,
            keyword=keyword,
            language=p.text("language", required=True, max_len=20) or "",
            tags=p.placeholders("tags"),
            button_tags=p.placeholders("button_tags"),
            attachment=p.text("attachment", max_len=2000),
            prevent_bot_off=p.flag("prevent_bot_off"),
            agent_id=p.text("agent_id"),
        )
    }


ROUTES = [
    RouteSpec("GET", "/conversations/messages/templates", list_templates),
    RouteSpec("POST", "/conversations/messages/templates/send", send, "send"),
]
