"""``/teams/teams`` and ``/teams/members``."""

from __future__ import annotations

from ..models import Member, Team
from ..pagination import Page
from ._base import Resource

__all__ = ["Teams"]


class Teams(Resource):
    """Teams and their members (agents)."""

    async def list(self, member_id: str | None = None) -> Page[Team]:
        """Teams, optionally only those ``member_id`` belongs to."""
        return await self._list("/teams/teams", Team.from_dict, {"member_id": member_id})

    async def members(self, team_id: str | None = None) -> Page[Member]:
        """Members, optionally of one team."""
        return await self._list("/teams/members", Member.from_dict, {"team_id": team_id})
