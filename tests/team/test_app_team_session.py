"""A team session's app: who it is, what it does not offer, where its state lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import ready, screen_text, session_env, team_app, team_screen, wait_for
from helpers import palette_highlights

from sendbee_tui.cli import make_app
from sendbee_tui.config import ConfigError
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team_mode import TEAM_ACCOUNT_KEY, TeamSession
from sendbee_tui.tui import keys
from sendbee_tui.tui.commands import InboxCommands
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.screens.help import scopes_on
from sendbee_tui.tui.screens.main import MainScreen
from sendbee_tui.tui.screens.setup import SetupScreen
from sendbee_tui.tui.screens.teams import AgentPicker


def help_headings(screen: MainScreen) -> list[str]:
    """The headings help shows when opened from ``screen``."""
    return [heading for heading, _rows in keys.help_sections(scopes_on(screen))]


def test_the_session_environment_gives_a_team_profile(tmp_path: Path) -> None:
    env = {
        "SENDBEE_TUI_HOME": str(tmp_path),
        "SENDBEE_BASE_URL": "http://127.0.0.1:9",
        "SENDBEE_API_KEY": "team-abc",
        "SENDBEE_API_SECRET": "s3cret-of-the-session",
        "SENDBEE_TUI_TEAM": "1",
        "SENDBEE_TUI_TEAM_AGENT": "Ana\x1b[31m Horvat",
        "SENDBEE_TUI_TEAM_MEMBER_ID": "m-1",
        "SENDBEE_TUI_TEAM_SESSION": "6e36d27f",
    }
    app = make_app([], env=env)
    config = app.config
    assert config.team == TeamSession(
        agent="Ana[31m Horvat", member_id="m-1", session_id="6e36d27f"
    )
    assert config.profile is not None and config.profile.name == "team"
    # Every session has a new key: local state is pinned, or drafts would not come back.
    assert config.profile.account_key == TEAM_ACCOUNT_KEY
    assert not config.demo

    with pytest.raises(ConfigError, match="team session"):
        make_app([], env={k: v for k, v in env.items() if "API" not in k})
    with pytest.raises(ConfigError, match="--demo"):
        make_app(["--demo"], env=env)
    # Outside a team session nothing of this applies.
    plain = make_app([], env={k: v for k, v in env.items() if "TEAM" not in k})
    assert plain.config.team is None
    assert plain.config.profile is not None
    assert plain.config.profile.account_key != TEAM_ACCOUNT_KEY


async def test_the_session_names_its_agent_and_starts_nothing_else(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    app = team_app(server, 0, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        screen = team_screen(app)
        await wait_for(pilot, lambda: "c Claim" in screen_text(app))  # the footer offers it
        assert "Ana Horvat · team" in screen_text(app)  # the status line

        await pilot.press("enter", "r")
        await wait_for(pilot, lambda: screen.composer.input.has_focus)
        assert "as Ana Horvat" in screen_text(app)
        assert "Ctrl+E" not in screen_text(app)
        await pilot.press("ctrl+g")  # send-as-agent is not offered: the hub sends as Ana
        await pilot.pause()
        assert not isinstance(app.screen, AgentPicker)
        assert screen.composer.agent_id == server.agents.current.agents[0].member_id

        await pilot.press("ctrl+e")
        await wait_for(
            pilot,
            lambda: any(
                "$EDITOR: not available in a team session" in n.message for n in app._notifications
            ),
        )
        await pilot.press("escape", "S")
        await wait_for(
            pilot,
            lambda: any("Account setup: not available" in n.message for n in app._notifications),
        )
        assert not isinstance(app.screen, SetupScreen)
        assert app.deliver_screenshot() is None  # would write a file on the team's host
        app.open_url("https://example.com/")  # would start a browser on the team's host
        await wait_for(
            pilot,
            lambda: any("Opening links: not available" in n.message for n in app._notifications),
        )

        # Help lists the claim key in a team session (and only there).
        assert "Team session" in help_headings(screen)

        # The palette offers claims, and leaves out what a session never does.
        offered = [c.name for c in InboxCommands(screen)._available()]
        assert "Claim / release conversation" in offered
        assert "Set up account" not in offered and "Compose in $EDITOR" not in offered
        system = [c.title for c in app.get_system_commands(screen)]
        assert "Quit" in system and "Screenshot" not in system
        await pilot.press("escape", "ctrl+p", *"claim")
        await wait_for(pilot, lambda: palette_highlights(app, "Claim / release conversation"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(server.store.claims()) == 1)

        # The account's real key and secret are nowhere in the app: not on screen, not in
        # what it was configured with (the session's own hub credentials are).
        text = screen_text(app)
        assert sandbox.api_key not in text and sandbox.api_secret not in text
        profile = app.config.profile
        assert profile is not None
        assert profile.api_key.startswith("team-")
        assert sandbox.api_secret not in (profile.api_key, profile.api_secret)
        assert profile.base_url == server.hub_url


async def test_drafts_carry_over_to_the_next_session(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    first = team_app(server, 1, tmp_path)
    async with first.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(first))
        conv_id = model_id(team_screen(first).conv_list.rows[0])
        await pilot.press("enter", "r", *"half a reply")
        await wait_for(pilot, lambda: first.inbox.get_draft(conv_id) == "half a reply")
    # A new session: new hub credentials, same agent home.
    second = team_app(server, 1, tmp_path)
    assert second.config.profile.api_key != first.config.profile.api_key
    async with second.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(second))
        assert second.inbox.get_draft(conv_id) == "half a reply"


async def test_outside_a_team_session_the_inbox_is_the_plain_one(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    env = session_env(server, server.agents.current.agents[0], tmp_path / "plain")
    del env["SENDBEE_TUI_TEAM"]
    app = make_app(["--poll", "0.5"], env=env)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app) and "q Quit" in screen_text(app))
        assert type(app.main_screen) is MainScreen
        assert "c Claim" not in screen_text(app)
        assert "Team session" not in help_headings(app.main_screen)
        offered = [c.name for c in InboxCommands(app.main_screen)._available()]
        assert "Claim / release conversation" not in offered and "Set up account" in offered
        assert "Screenshot" in [c.title for c in app.get_system_commands(app.main_screen)]
