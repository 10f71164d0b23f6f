"""Parameter groups several routes read the same way."""

from __future__ import annotations

from sendbee_tui.sandbox.domain.rules import normalize_phone
from sendbee_tui.sandbox.errors import bad_request
from sendbee_tui.sandbox.web.params import Params

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


def page_limit(p: Params) -> tuple[int, int]:
    """``page`` (from 1) and ``limit`` (default 10, max 100)."""
    return p.integer("page", 1), p.integer("limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)


def recipient(p: Params) -> tuple[str | None, str | None]:
    """(phone, whatsapp_user_id) of a send: one of them, the phone winning when both come."""
    phone = p.text("phone")
    wa = p.text("whatsapp_user_id", max_len=100)
    if phone is None and wa is None:
        raise bad_request("Either 'phone' or 'whatsapp_user_id' is required", "missing_parameter")
    return (normalize_phone(phone) if phone is not None else None), (wa if phone is None else None)
