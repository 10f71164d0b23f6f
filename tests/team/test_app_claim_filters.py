"""Claims on the list rows and the filter dialog's "Claimed" row (mine / unclaimed)."""

from __future__ import annotations

from pathlib import Path

from app_support import ready, screen_text, team_app, team_screen, wait_for

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.screens.list_filter import ListFilterModal


async def test_rows_show_owners_and_viewers_and_the_list_filters_by_claim(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    ana_app, borna_app = team_app(server, 0, tmp_path), team_app(server, 1, tmp_path)
    async with ana_app.run_test(size=(130, 36)) as ana, borna_app.run_test(size=(130, 36)) as borna:
        await wait_for(ana, lambda: ready(ana_app) and ready(borna_app))
        ana_screen, borna_screen = team_screen(ana_app), team_screen(borna_app)
        rows = ana_screen.conv_list.rows
        mine, borna_s = model_id(rows[0]), model_id(rows[1])
        await ana.press("c")  # Ana claims the first row
        await borna.press("j", "c", "enter")  # Borna claims the second and opens it
        await wait_for(ana, lambda: len(server.store.claims()) == 2)

        # Ana's rows: hers marked "me", Borna's with her initials, Borna viewing it.
        await wait_for(ana, lambda: ana_screen.team_state.owner(borna_s) is not None)
        await wait_for(ana, lambda: "◉ BK" in screen_text(ana_app))
        text = screen_text(ana_app)
        assert "⚑ me" in text and "⚑ BK" in text
        assert not any("⚑ AH" in line for line in text.splitlines())  # her own is "me"

        # f: the dialog has a "Claimed" row in a team session; pick "mine".
        await ana.press("f")
        await wait_for(ana, lambda: isinstance(ana_app.screen, ListFilterModal))
        assert "Claimed" in screen_text(ana_app)
        await ana.press("down", "down", "down", "right", "enter")
        await wait_for(ana, lambda: [model_id(c) for c in ana_screen.conv_list.rows] == [mine])
        assert "claimed by me" in screen_text(ana_app)  # the filter bar says so

        # Unclaimed: neither claimed conversation; Borna releasing hers brings it back.
        await ana.press("f")
        await wait_for(ana, lambda: isinstance(ana_app.screen, ListFilterModal))
        await ana.press("down", "down", "down", "right", "enter")
        await wait_for(ana, lambda: ana_screen.service.filter.claim == "unclaimed")
        shown = {model_id(c) for c in ana_screen.conv_list.rows}
        assert shown and mine not in shown and borna_s not in shown
        borna_screen.conv_list.focus()
        await borna.press("c")  # released by Borna: within a round it is unclaimed for Ana
        await wait_for(ana, lambda: borna_s in {model_id(c) for c in ana_screen.conv_list.rows})

        # F clears every filter, the claim filter too.
        await ana.press("F")
        await wait_for(ana, lambda: ana_screen.service.filter.claim is None)
        await wait_for(ana, lambda: mine in {model_id(c) for c in ana_screen.conv_list.rows})
