"""Helpers for the team-mode app tests: real apps, in-process, talking to a real hub.

A session's app is built exactly as ``serve-ssh`` starts it: the environment
of :func:`sendbee_tui.team.ptyapp.app_environment` (hub credentials made up for
the session, ``SENDBEE_TUI_TEAM=1``, the agent's name), through
:func:`sendbee_tui.cli.make_app`.  Only the poll interval is shortened.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from sendbee_tui.cli import make_app
from sendbee_tui.team.ptyapp import app_environment
from sendbee_tui.team.server import TeamServer
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.team import TeamMainScreen


def session_env(server: TeamServer, agent: Any, home: Path) -> dict[str, str]:
    """The environment ``serve-ssh`` gives a new session of ``agent`` (with a live hub session)."""
    hub_session = server.hub.sessions.open(agent)
    return app_environment(
        home=home,
        term="xterm-256color",
        colorterm=None,
        hub_url=server.hub_url,
        api_key=hub_session.api_key,
        api_secret=hub_session.api_secret,
        agent_name=agent.name,
        member_id=agent.member_id,
        session_id=hub_session.id,
        server_env={"LANG": "C.UTF-8"},
    )


def team_app(server: TeamServer, who: int, tmp_path: Path) -> SendbeeApp:
    """A session app of agent number ``who`` (0: Ana, 1: Borna), polling fast."""
    agent = server.agents.current.agents[who]
    env = session_env(server, agent, tmp_path / agent.slug)
    return make_app(["--poll", "0.5"], env=env)


def team_screen(app: SendbeeApp) -> TeamMainScreen:
    screen = app.main_screen
    assert isinstance(screen, TeamMainScreen)
    return screen


def ready(app: SendbeeApp) -> bool:
    main = app.main_screen
    return main is not None and bool(main.conv_list.rows)


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], Any], timeout: float = 15.0) -> None:
    """Let the apps run until ``predicate()`` holds (answers arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {predicate}")
        await pilot.pause(0.05)


_CURSOR_MOVE = re.compile(r"\x1b\[\d+;\d+H")
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


def screen_text(app: SendbeeApp) -> str:
    """Plain text of the app's current screen, one line per terminal row."""
    update = app.screen._compositor.render_update(full=True)
    out = update.render_segments(app.console)
    out = _OSC8.sub("", out)
    out = _CURSOR_MOVE.sub("\n", out)
    return _SGR.sub("", out)
