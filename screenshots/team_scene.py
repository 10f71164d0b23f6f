"""The team-server picture: one agent's session list, with a colleague's claim and presence.

A real :class:`~sendbee_tui.team.server.TeamServer` (hub and SSH listener on
loopback) in front of the sandbox, and two session apps in this process, built
from the environment ``serve-ssh`` gives a session (as ``tests/team`` does):
Ana claims the second conversation and opens the first; Borna claims the third
and opens Ana's.  The picture is Borna's screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh
from inbox_scenes import ready, settled_thread, until

from sendbee_tui.api import SendbeeClient
from sendbee_tui.cli import build_app_config, parse_args
from sendbee_tui.config import AppConfig, Profile
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team.ptyapp import app_environment
from sendbee_tui.team.server import ServerConfig, TeamServer
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.inbox import model_id
from sendbee_tui.tui.team import TeamMainScreen

AGENTS = ("Ana Horvat", "Borna Kovač")


async def _agents_file(upstream: SandboxServer, path: Path) -> None:
    """Ana and Borna, as the first two team members of the account, each with a key."""
    async with SendbeeClient(
        upstream.api_key, upstream.api_secret, base_url=upstream.base_url
    ) as client:
        members = await client.teams.members_all()
    lines = ["# who may log in to the team server"]
    for name, member in zip(AGENTS, members[: len(AGENTS)], strict=True):
        key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
        lines += ["[[agent]]", f'name = "{name}"', f'member_id = "{member.id}"']
        lines.append(f'keys = ["{key}"]')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _session_app(
    server: TeamServer, who: int, home: Path, prepare: Callable[[AppConfig], None]
) -> SendbeeApp:
    """A session app of agent ``who`` as ``serve-ssh`` starts it, on the pictures' clock."""
    agent = server.agents.current.agents[who]
    hub_session = server.hub.sessions.open(agent)
    env = app_environment(
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
    config = build_app_config(parse_args(["--poll", "0.5"]), env=env)
    prepare(config)
    return SendbeeApp(config)


async def team_list(
    upstream: SandboxServer,
    tmp: Path,
    size: tuple[int, int],
    configure: Callable[[AppConfig], None],
    save: Callable[[SendbeeApp], None],
) -> None:
    """Run the scene and ``save`` Borna's screen; ``configure`` gives a config the fixed clock."""
    tmp.mkdir(parents=True, exist_ok=True)
    await _agents_file(upstream, tmp / "agents.toml")
    config = ServerConfig(
        agents_path=tmp / "agents.toml",
        host_key_path=tmp / "host_key",
        data_dir=tmp / "team",
        host="127.0.0.1",
        port=0,
    )
    profile = Profile("shop", upstream.api_key, upstream.api_secret, upstream.base_url)
    server = TeamServer(config, profile, server_env={"LANG": "C.UTF-8"})
    await server.start()
    try:
        ana_app = _session_app(server, 0, tmp / "ana", configure)
        borna_app = _session_app(server, 1, tmp / "borna", configure)
        async with ana_app.run_test(size=size) as ana, borna_app.run_test(size=size) as borna:
            await _scene(ana, borna)
            save(borna_app)
    finally:
        await server.stop()


async def _scene(ana: Any, borna: Any) -> None:
    await ready(ana)
    await ready(borna)
    ana_screen: TeamMainScreen = ana.app.main_screen
    borna_screen: TeamMainScreen = borna.app.main_screen
    first, second, third = (model_id(c) for c in ana_screen.conv_list.rows[:3])

    def owner(screen: TeamMainScreen, conv_id: str) -> str | None:
        claim = screen.team_state.owner(conv_id)
        return claim.agent if claim is not None else None

    await ana.press("j", "c")  # Ana claims the second conversation
    await until(ana, lambda: owner(ana_screen, second) == AGENTS[0])
    await ana.press("k", "enter")  # and opens the first
    await until(ana, lambda: ana.app.inbox.current_id == first)
    await borna.press("j", "j", "c")  # Borna claims the third
    await until(borna, lambda: owner(borna_screen, third) == AGENTS[1])
    await borna.press("k", "enter")  # and opens Ana's
    await until(borna, lambda: borna.app.inbox.current_id == second)
    await settled_thread(borna)
    await _both_seen(borna, borna_screen, first, second)


async def _both_seen(borna: Any, screen: TeamMainScreen, first: str, second: str) -> None:
    """Borna's session has heard of Ana: viewing the first, handling the second."""
    state = screen.team_state
    await until(
        borna,
        lambda: (
            state.others(first).viewing == (AGENTS[0],)
            and (claim := state.owner(second)) is not None
            and claim.agent == AGENTS[0]
        ),
    )
    await borna.pause()
