"""``/webhooks/subscribe``: one event per call."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import WEBHOOK_EVENTS
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.params import Params


def subscribe(ctx: Context, p: Params, r: Request) -> Any:
    url = p.text("url", required=True, max_len=2000) or ""
    if not url.startswith(("http://", "https://")):
        raise bad_request("'url' must be an absolute http(s) URL", "invalid_url")
    event = p.enum("event", WEBHOOK_EVENTS, required=True) or ""
    return {"data": ctx.sandbox.webhooks.subscribe(url, event)}


ROUTES = [RouteSpec("POST", "/webhooks/subscribe", subscribe)]
