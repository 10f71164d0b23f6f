"""Pilot tests of the teams screen and the member helpers, against the real sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contacts_harness import offline_client
from helpers import host, settle
from textual.widgets import DataTable, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.screens.teams import (
    TeamsScreen,
    load_members,
    member_label,
    member_select_options,
)


def table_rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_teams_shows_members_role_online_available(sandbox: Any) -> None:
    app = host(sandbox, TeamsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamsScreen) and app.client is not None
        teams = (await app.client.teams.list()).items
        assert teams
        table = screen.query_one(DataTable)
        rows = table_rows(table)
        assert table.row_count == sum(max(1, len(t.members)) for t in teams)
        for team in teams:
            assert [team.name] in [row[:1] for row in rows]
            for member in team.members:
                online = "● online" if member.online else "○ offline"
                available = "available" if member.available else "away"
                assert [member.name, member.role, online, available] in [r[1:] for r in rows]
        # Columns are wide enough to read every name in full.
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        longest = max(len(m.name or "") for t in teams for m in t.members)
        assert widths[1] >= longest
        status = str(screen.query_one("#teams-status", Static).render())
        assert f"{len(teams)} teams" in status


async def test_teams_refresh_key_reloads(sandbox: Any) -> None:
    app = host(sandbox, TeamsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamsScreen)
        before = screen.query_one(DataTable).row_count
        screen.query_one(DataTable).clear()
        assert screen.query_one(DataTable).row_count == 0
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == before
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_teams_error_is_shown_and_retry_works(fresh_sandbox: Any) -> None:
    fresh_sandbox.set_faults(error_rate=1.0)
    app = host(fresh_sandbox, TeamsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamsScreen)
        status = screen.query_one("#teams-status", Static)
        shown = str(status.render())
        # The app's one error vocabulary (tui/errors.py), not the exception's repr.
        assert "Could not load teams: Sendbee had a server error (HTTP 5" in shown
        assert "(r to retry)" in shown
        assert status.has_class("-error")
        fresh_sandbox.set_faults(error_rate=0.0)
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count > 0
        assert not status.has_class("-error")


async def test_members_for_agent_selection(sandbox: Any) -> None:
    async with SendbeeClient(sandbox.api_key, sandbox.api_secret, base_url=sandbox.base_url) as c:
        members = await load_members(c)
        raw = (await c.teams.members()).items
    assert sorted(m.id or "" for m in members) == sorted({m.id or "" for m in raw})
    ranks = [0 if m.online and m.available else 1 if m.online else 2 for m in members]
    assert ranks == sorted(ranks), "who can pick up a conversation now comes first"
    options = member_select_options(members)
    assert [value for _label, value in options] == [m.id for m in members]
    label = str(member_label(members[0]))
    assert members[0].name and members[0].name in label and "online" in label


def test_member_label_is_literal() -> None:
    from sendbee_tui.api import Member

    member = Member(
        id="m1",
        name="[b]Eve[/b] \x1b]0;pwned\x07",
        role="[@click=app.quit]x[/]",
        online=False,
        available=None,
    )
    text = str(member_label(member))
    assert "[b]Eve[/b]" in text and "\x1b" not in text and "[@click=app.quit]x[/]" in text


async def test_teams_opens_from_the_app_with_its_client(sandbox: Any, tmp_path: Path) -> None:
    from inbox_helpers import make_app, ready, wait_for

    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("g", "m")
        await wait_for(pilot, lambda: isinstance(app.screen, TeamsScreen))
        screen = app.screen
        assert isinstance(screen, TeamsScreen)
        assert screen.client is app.client
        await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)


def test_members_in_no_team_are_listed_under_no_team() -> None:
    from sendbee_tui.api import Member, Team

    ana = Member(id="m1", name="Ana", role="owner", online=True, available=True)
    solo = Member(id="m9", name="Solo", role="agent", online=False, available=False)
    screen = TeamsScreen(offline_client())
    screen.teams = [Team(id="t1", name="Support", members=(ana,)), Team(id="t2", name="Empty")]
    screen.members = [ana, solo]
    rows = [[str(cell) for cell in row] for row in screen._rows()]
    assert rows == [
        ["Support", "Ana", "owner", "● online", "available"],
        ["Empty", "(no members)", "", "", ""],
        ["No team", "Solo", "agent", "○ offline", "away"],
    ]
