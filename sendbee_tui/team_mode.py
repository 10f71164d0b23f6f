"""Team mode: the app running inside a ``sendbee-tui serve-ssh`` session.

The team server starts each session's app with a fixed environment
(docs/team-server.md, "The session environment"): hub credentials made up for
the session in ``SENDBEE_API_KEY``/``SENDBEE_API_SECRET``, ``SENDBEE_TUI_TEAM=1``
and the agent's name, member id and session id.  :func:`team_session` reads the
latter; the CLI puts the result in :attr:`AppConfig.team
<sendbee_tui.config.AppConfig.team>`, and the app then shows who it is, reports
presence, offers claims and starts no other program.

Local state is filed under :data:`TEAM_ACCOUNT_KEY`, not under the computed
account key: that key fingerprints the API key, which is new in every session,
so drafts and read marks would otherwise be lost between sessions.  Each agent
has her own ``SENDBEE_TUI_HOME``, so one fixed key per home is enough.

Imports nothing else from sendbee_tui (config imports this module).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ENV_TEAM",
    "ENV_TEAM_AGENT",
    "ENV_TEAM_MEMBER_ID",
    "ENV_TEAM_SESSION",
    "NOT_IN_TEAM",
    "TEAM_ACCOUNT_KEY",
    "TEAM_PROFILE_NAME",
    "TeamSession",
    "team_session",
]

ENV_TEAM = "SENDBEE_TUI_TEAM"
ENV_TEAM_AGENT = "SENDBEE_TUI_TEAM_AGENT"
ENV_TEAM_MEMBER_ID = "SENDBEE_TUI_TEAM_MEMBER_ID"
ENV_TEAM_SESSION = "SENDBEE_TUI_TEAM_SESSION"

#: Where a team session's drafts and read marks are filed (see the module docstring).
TEAM_ACCOUNT_KEY = "team"
#: The profile name a team session shows and logs (never the random hub key).
TEAM_PROFILE_NAME = "team"
#: What every shell-out (editor, browser, setup, screenshot) says in a team session.
NOT_IN_TEAM = "not available in a team session"

_MAX_NAME = 80


def _printable(text: str | None, limit: int = _MAX_NAME) -> str:
    """``text`` without control characters, stripped and bounded (it reaches the screen)."""
    return "".join(ch for ch in (text or "") if ch.isprintable()).strip()[:limit]


@dataclass(frozen=True)
class TeamSession:
    """Who this session is, as the team server told it (names are shown, ids are not)."""

    agent: str
    member_id: str = ""
    session_id: str = ""


def team_session(env: Mapping[str, str]) -> TeamSession | None:
    """The team session described by ``env``, or None outside one (``SENDBEE_TUI_TEAM`` != 1)."""
    if (env.get(ENV_TEAM) or "").strip() != "1":
        return None
    return TeamSession(
        agent=_printable(env.get(ENV_TEAM_AGENT)) or "agent",
        member_id=_printable(env.get(ENV_TEAM_MEMBER_ID), 200),
        session_id=_printable(env.get(ENV_TEAM_SESSION), 64),
    )
