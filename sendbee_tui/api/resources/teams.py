"""``/teams/teams`` and ``/teams/members``."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from ..models import Member, Team
from ..pagination import DEFAULT_CONCURRENCY, Page
from ._base import Resource

__all__ = ["Teams"]

TEAMS = "/teams/teams"
MEMBERS = "/teams/members"


class Teams(Resource):
    """Teams and their members (agents).

    The contract documents no paging for these lists, and neither official client
    sends ``page``: so ``list()`` and ``members()`` send it only when asked. If a
    server pages them anyway, the iterators follow its ``meta`` like everywhere else.
    """

    async def list(self, member_id: str | None = None, page: int | None = None) -> Page[Team]:
        """Teams, optionally only those ``member_id`` belongs to."""
        return await self._list(TEAMS, Team, {"member_id": member_id}, page=page)

    def iterate(self, member_id: str | None = None) -> AsyncIterator[Team]:
        """Every team, lazily."""
        return self._iterate(TEAMS, Team, {"member_id": member_id}, limit=None)

    async def list_all(
        self, member_id: str | None = None, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> builtins.list[Team]:
        """Every team, pages (if any) fetched ``concurrency`` at a time, in order."""
        return await self._all(
            TEAMS, Team, {"member_id": member_id}, limit=None, concurrency=concurrency
        )

    def list_pages(
        self, member_id: str | None = None, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> AsyncIterator[Page[Team]]:
        """Every page of teams, fetched as :meth:`list_all` does, yielded in order."""
        return self._pages(
            TEAMS, Team, {"member_id": member_id}, limit=None, concurrency=concurrency
        )

    async def members(self, team_id: str | None = None, page: int | None = None) -> Page[Member]:
        """Members, optionally of one team."""
        return await self._list(MEMBERS, Member, {"team_id": team_id}, page=page)

    def iter_members(self, team_id: str | None = None) -> AsyncIterator[Member]:
        """Every member, lazily."""
        return self._iterate(MEMBERS, Member, {"team_id": team_id}, limit=None)

    async def members_all(
        self, team_id: str | None = None, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> builtins.list[Member]:
        """Every member, pages (if any) fetched ``concurrency`` at a time, in order."""
        return await self._all(
            MEMBERS, Member, {"team_id": team_id}, limit=None, concurrency=concurrency
        )

    def members_pages(
        self, team_id: str | None = None, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> AsyncIterator[Page[Member]]:
        """Every page of members, fetched as :meth:`members_all` does, yielded in order."""
        return self._pages(
            MEMBERS, Member, {"team_id": team_id}, limit=None, concurrency=concurrency
        )
