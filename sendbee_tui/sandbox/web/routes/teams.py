"""``/teams/teams`` and ``/teams/members`` (one page holding everything)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import envelope_list
from sendbee_tui.sandbox.web.params import Params


def list_teams(ctx: Context, p: Params, r: Request) -> Any:
    items = ctx.sandbox.teams.teams(p.text("member_id"))
    return envelope_list(r, items, len(items), 1, max(1, len(items)))


def list_members(ctx: Context, p: Params, r: Request) -> Any:
    items = ctx.sandbox.teams.members(p.text("team_id"))
    return envelope_list(r, items, len(items), 1, max(1, len(items)))


ROUTES = [
    RouteSpec("GET", "/teams/teams", list_teams),
    RouteSpec("GET", "/teams/members", list_members),
]
