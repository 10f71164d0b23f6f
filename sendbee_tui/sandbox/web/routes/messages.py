"""``/conversations/messages`` (a conversation's messages) and ``.../messages/send``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import MAX_TEXT
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.web.routes.shared import page_limit, recipient


def list_messages(ctx: Context, p: Params, r: Request) -> Any:
    cid = p.text("conversation_id", required=True) or ""
    page, limit = page_limit(p)
    items, total = ctx.sandbox.messages.list_page(cid, page=page, limit=limit)
    return envelope_list(r, items, total, page, limit)


def send(ctx: Context, p: Params, r: Request) -> Any:
    phone, wa = recipient(p)
    text = p.text("text", max_len=MAX_TEXT, allow_empty=True)
    media_url = p.text("media_url", max_len=2000)
    if not (text and text.strip()) and media_url is None:
        raise bad_request("Either 'text' or 'media_url' is required", "missing_parameter")
    p.flag("live_inbox", False)
    return {
        "data": ctx.sandbox.messages.send(
            phone=phone,
            whatsapp_user_id=wa,
            text=text,
            media_url=media_url,
            prevent_bot_off=p.flag("prevent_bot_off"),
            agent_id=p.text("agent_id"),
        )
    }


ROUTES = [
    RouteSpec("GET", "/conversations/messages", list_messages),
    RouteSpec("POST", "/conversations/messages/send", send, "send"),
]
