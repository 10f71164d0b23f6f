"""``/automation/chatbot/activity`` (switch) and ``.../activity/status``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.params import Params


def set_activity(ctx: Context, p: Params, r: Request) -> Any:
    cid = p.text("conversation_id", required=True) or ""
    return {"data": ctx.sandbox.chatbot.set(cid, p.flag("active", required=True))}


def status(ctx: Context, p: Params, r: Request) -> Any:
    return {"data": ctx.sandbox.chatbot.status(p.text("conversation_id", required=True) or "")}


ROUTES = [
    RouteSpec("PUT", "/automation/chatbot/activity", set_activity),
    RouteSpec("GET", "/automation/chatbot/activity/status", status),
]
