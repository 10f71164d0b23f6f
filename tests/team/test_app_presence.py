"""Two team-session apps side by side against one hub: each sees where the other is."""

from __future__ import annotations

from pathlib import Path

from app_support import ready, screen_text, team_app, team_screen, wait_for

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.inbox.conversations import model_id


async def test_presence_of_one_session_is_seen_by_the_other(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    ana_app, borna_app = team_app(server, 0, tmp_path), team_app(server, 1, tmp_path)
    async with ana_app.run_test(size=(130, 36)) as ana, borna_app.run_test(size=(130, 36)) as borna:
        await wait_for(ana, lambda: ready(ana_app) and ready(borna_app))
        ana_screen, borna_screen = team_screen(ana_app), team_screen(borna_app)
        first = ana_screen.conv_list.rows[0]
        await ana.press("enter")  # Ana opens the first conversation
        await wait_for(ana, lambda: ana_app.inbox.current_id == model_id(first))

        # Borna sees it on the row (state) within a presence round or two.
        await wait_for(
            borna,
            lambda: borna_screen.team_state.others(model_id(first)).viewing == ("Ana Horvat",),
        )
        await borna.press("enter")  # Borna opens the same one: the line over the thread
        await wait_for(
            borna,
            lambda: "Ana Horvat is viewing" in screen_text(borna_app),
        )
        assert "Ana Horvat is viewing" in screen_text(borna_app)

        await ana.press("r", "h", "i")  # Ana types in the composer
        await wait_for(borna, lambda: "Ana Horvat is typing…" in screen_text(borna_app))
        await wait_for(ana, lambda: "Borna Kovač is viewing" in screen_text(ana_app))

        # Ana marks it unread, which closes it for her: Borna no longer sees her there.
        await ana.press("escape", "u")
        await wait_for(borna, lambda: "Ana Horvat is" not in screen_text(borna_app))
        assert borna_screen.team_state.others(model_id(first)).viewing == ()
