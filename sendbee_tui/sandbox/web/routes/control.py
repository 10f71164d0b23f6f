"""``/_sandbox/*``: what a test or a demo needs that the Sendbee API does not offer.

Protected by the same auth headers, exempt from the rate limit and the faults,
so a test can always change the faults back.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.domain.rules import MAX_TEXT, MEDIA_EXTENSIONS, normalize_phone
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.faults import SEND_FAULT_MODES, Faults
from sendbee_tui.sandbox.web.params import Params


def inbound(ctx: Context, p: Params, r: Request) -> Any:
    phone = normalize_phone(p.text("phone", required=True) or "")
    media_type = p.enum("media_type", ("text", *MEDIA_EXTENSIONS, "sticker", "location"))
    text = p.text("text", max_len=MAX_TEXT, allow_empty=True)
    media_url = p.text("media_url", max_len=2000)
    if not (text and text.strip()) and media_url is None:
        raise bad_request("Either 'text' or 'media_url' is required", "missing_parameter")
    return {
        "data": ctx.sandbox.inbound(
            phone=phone,
            text=text or "",
            name=p.text("name", max_len=200),
            media_type=media_type,
            media_url=media_url,
        )
    }


def faults(ctx: Context, p: Params, r: Request) -> Any:
    """``GET`` shows the faults; ``POST`` changes the ones given (all checked first).

    Send faults: ``send_fault`` (``"drop"``, ``"hang"`` or null to turn them off),
    ``send_fault_rate`` (0..1) and ``send_fault_next`` (the next N committed sends).
    """
    current = ctx.faults
    if r.method == "POST":
        latency = p.integer("latency_ms", current.latency_ms, minimum=0, maximum=60000)
        error_rate = p.fraction("error_rate", current.error_rate)
        limit = current.rate_limit_per_minute
        if "rate_limit_per_minute" in p.data:
            raw = p.data["rate_limit_per_minute"]
            limit = None if raw in (None, 0) else p.integer("rate_limit_per_minute", 0, minimum=1)
        error_status = p.integer("error_status", current.error_status, minimum=500, maximum=599)
        mode, rate, following = _send_fault(p, current)
        current.error_status = error_status
        current.send_fault, current.send_fault_rate, current.send_fault_next = mode, rate, following
        current.latency_ms, current.error_rate = latency, error_rate
        current.rate_limit_per_minute = limit
        ctx.rate_limiter.clear()
    return {"data": current.as_dict()}


def _send_fault(p: Params, current: Faults) -> tuple[str | None, float, int]:
    """(mode, rate, next) after this request; ``"send_fault": null`` turns all three off."""
    if "send_fault" in p.data and p.data["send_fault"] is None:
        mode = None
        rate, following = 0.0, 0
    else:
        mode = p.enum("send_fault", SEND_FAULT_MODES) or current.send_fault
        rate, following = current.send_fault_rate, current.send_fault_next
    rate = p.fraction("send_fault_rate", rate)
    following = p.integer("send_fault_next", following, minimum=0, maximum=1_000_000)
    if mode is None and (rate > 0 or following > 0):
        raise bad_request(
            "'send_fault_rate' and 'send_fault_next' need 'send_fault' ('drop' or 'hang')",
            "missing_parameter",
        )
    return mode, rate, following


def reset(ctx: Context, p: Params, r: Request) -> Any:
    ctx.sandbox.reset()
    ctx.rate_limiter.clear()
    return {"data": {"message": "Sandbox data reset to the demo data set"}}


def webhook_deliveries(ctx: Context, p: Params, r: Request) -> Any:
    return {
        "data": list(ctx.deliveries.deliveries),
        "meta": {"pending": ctx.deliveries.pending()},
    }


ROUTES = [
    RouteSpec("POST", "/_sandbox/inbound", inbound, "control"),
    RouteSpec("GET", "/_sandbox/faults", faults, "control"),
    RouteSpec("POST", "/_sandbox/faults", faults, "control"),
    RouteSpec("POST", "/_sandbox/reset", reset, "control"),
    RouteSpec("GET", "/_sandbox/webhook-deliveries", webhook_deliveries, "control"),
]
