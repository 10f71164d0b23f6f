"""The app in a team session (``sendbee-tui serve-ssh``): presence, claims, the agent's name.

* :mod:`.hub_client` — the hub's ``/_team/*`` endpoints through the app's API client;
* :mod:`.state` — presence and claims as last heard; :mod:`.presence` — the loop feeding it;
* :mod:`.marks` — list row marks and the presence line, as Content;
* :mod:`.screen` — the inbox screen of a team session.

Outside a team session none of this runs (:attr:`AppConfig.team
<sendbee_tui.config.AppConfig.team>` is None).  See docs/team-server.md.
"""

from __future__ import annotations

from sendbee_tui.api import SendbeeClient
from sendbee_tui.team_mode import TeamSession
from sendbee_tui.tui.inbox import InboxService
from sendbee_tui.tui.safe_text import clean
from sendbee_tui.tui.team.hub_client import TeamHub
from sendbee_tui.tui.team.screen import NOT_IN_TEAM, TeamMainScreen

__all__ = ["NOT_IN_TEAM", "TeamMainScreen", "team_screen"]


def team_screen(service: InboxService, team: TeamSession, client: SendbeeClient) -> TeamMainScreen:
    """The inbox screen of a team session; the status line names the agent."""
    return TeamMainScreen(
        service,
        account=clean(f"{team.agent} · team"),
        demo=False,
        team=team,
        hub=TeamHub(client),
    )
