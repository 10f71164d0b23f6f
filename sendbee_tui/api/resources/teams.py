"""``/teams/teams`` and ``/teams/members``."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import Member, Team
from ..pagination import Page
from ._base import Resource

__all__ = ["Teams"]


class Teams(Resource):
    """Teams and their members (agents).

    The contract documents no paging for these lists; if a server pages them
    anyway, ``page`` and the iterators follow its ``meta`` like everywhere else.
    """

    async def list(self, member_id: str | None = None, page: int = 1) -> Page[Team]:
        """Teams, optionally only those ``member_id`` belongs to."""
        return await self._list("/teams/teams", Team.from_dict, {"member_id": member_id},
                                page=page)

    def iterate(self, member_id: str | None = None) -> AsyncIterator[Team]:
        """Every team, lazily."""
        return self._iterate("/teams/teams", Team.from_dict, {"member_id": member_id},
                             limit=None)

    async def members(self, team_id: str | None = None, page: int = 1) -> Page[Member]:
        """Members, optionally of one team."""
        return await self._list("/teams/members", Member.from_dict, {"team_id": team_id},
                                page=page)

    def iter_members(self, team_id: str | None = None) -> AsyncIterator[Member]:
        """Every member, lazily."""
        return self._iterate("/teams/members", Member.from_dict, {"team_id": team_id},
                             limit=None)
