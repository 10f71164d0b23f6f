"""Per-session credentials for the hub, and who is looking at what (presence).

Each SSH session's app talks to the hub with credentials made up for that
session: a random API key (which the hub uses to find the session) and a
random secret (with which the hub checks the session's ``X-Auth-Token``, the
same scheme the real API uses).  They live only as long as the session: when
it ends they are forgotten, so a token copied out of a session is worthless
afterwards.  The real key and secret never leave :mod:`sendbee_tui.team.upstream`.

Presence is in memory only (it is stale within seconds anyway): each session
reports the conversation it has open and whether its agent is typing; a
report older than ``ttl`` seconds no longer counts.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sendbee_tui.api.auth import SendbeeAuth
from sendbee_tui.team.agents import Agent

__all__ = ["HubSession", "Presence", "SessionRegistry"]

#: Session tokens are made and checked on the same host: a tight window is enough.
TOKEN_MAX_AGE = 120.0


@dataclass(frozen=True)
class HubSession:
    """One SSH session as the hub knows it. ``repr`` shows neither key nor secret."""

    id: str
    agent: Agent
    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)
    started: float = 0.0

    @property
    def auth(self) -> SendbeeAuth:
        return SendbeeAuth(self.api_secret)


class SessionRegistry:
    """Live sessions by API key."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._by_key: dict[str, HubSession] = {}
        self._clock = clock

    def open(self, agent: Agent) -> HubSession:
        """New credentials for a session of ``agent``."""
        session = HubSession(
            id=secrets.token_hex(4),
            agent=agent,
            api_key="team-" + secrets.token_urlsafe(24),
            api_secret=secrets.token_urlsafe(32),
            started=self._clock(),
        )
        self._by_key[session.api_key] = session
        return session

    def close(self, session: HubSession) -> None:
        """Forget the session's credentials (its token stops working at once)."""
        self._by_key.pop(session.api_key, None)

    def authenticate(self, api_key: str | None, token: str | None) -> HubSession | None:
        """The session whose key is ``api_key`` and whose secret signed ``token``, or None."""
        if not api_key or not token:
            return None
        session = self._by_key.get(api_key)
        if session is None or not hmac.compare_digest(session.api_key, api_key):
            return None
        if not session.auth.verify(token, max_age=TOKEN_MAX_AGE):
            return None
        return session

    def active(self) -> list[HubSession]:
        return list(self._by_key.values())


@dataclass
class _Report:
    session: HubSession
    conversation_id: str | None
    typing: bool
    at: float


class Presence:
    """Who views and who types in which conversation, from reports younger than ``ttl``."""

    def __init__(self, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._reports: dict[str, _Report] = {}

    def report(self, session: HubSession, conversation_id: str | None, typing: bool) -> None:
        self._reports[session.id] = _Report(
            session, conversation_id, typing and conversation_id is not None, self._clock()
        )

    def drop(self, session: HubSession) -> None:
        self._reports.pop(session.id, None)

    def snapshot(self, online: list[HubSession], *, viewer: Agent | None) -> dict[str, Any]:
        """The presence document (see docs/team-server.md); the viewer's own agent is left out.

        ``online`` lists every connected agent once (the viewer included, so the
        app can show "3 agents online"); per-conversation lists name the others.
        """
        now = self._clock()
        for sid in [s for s, r in self._reports.items() if now - r.at > self.ttl]:
            del self._reports[sid]
        conversations: dict[str, dict[str, list[str]]] = {}
        for report in self._reports.values():
            agent = report.session.agent
            if report.conversation_id is None or (viewer is not None and agent.slug == viewer.slug):
                continue
            entry = conversations.setdefault(report.conversation_id, {"viewing": [], "typing": []})
            if agent.name not in entry["viewing"]:
                entry["viewing"].append(agent.name)
            if report.typing and agent.name not in entry["typing"]:
                entry["typing"].append(agent.name)
        seen: dict[str, dict[str, str]] = {}
        for session in online:
            seen.setdefault(
                session.agent.slug,
                {"name": session.agent.name, "member_id": session.agent.member_id},
            )
        for entry in conversations.values():
            entry["viewing"].sort()
            entry["typing"].sort()
        return {
            "online": sorted(seen.values(), key=lambda a: a["name"]),
            "conversations": conversations,
        }
