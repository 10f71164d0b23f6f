"""Claims between two team-session apps: claim, see it, take over after a question, release."""

from __future__ import annotations

from pathlib import Path

from app_support import ready, screen_text, team_app, team_screen, wait_for

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.forms.confirm import ConfirmModal
from sendbee_tui.tui.inbox.conversations import model_id


async def test_claim_is_seen_taken_over_after_a_question_and_released(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    server = await start_server(sandbox)
    ana_app, borna_app = team_app(server, 0, tmp_path), team_app(server, 1, tmp_path)
    async with ana_app.run_test(size=(130, 36)) as ana, borna_app.run_test(size=(130, 36)) as borna:
        await wait_for(ana, lambda: ready(ana_app) and ready(borna_app))
        ana_screen, borna_screen = team_screen(ana_app), team_screen(borna_app)
        conv = ana_screen.conv_list.rows[1]
        conv_id = model_id(conv)
        await ana.press("j", "c")  # Ana claims the highlighted (second) conversation
        await wait_for(
            ana, lambda: ana_screen.team_state.is_mine(ana_screen.team_state.owner(conv_id))
        )
        assert [(c.conversation_id, c.agent_name) for c in server.store.claims()] == [
            (conv_id, "Ana Horvat")
        ]

        # Borna's session learns it from the hub within a round or two.
        await wait_for(
            borna, lambda: (c := borna_screen.team_state.owner(conv_id)) and c.agent == "Ana Horvat"
        )
        await borna.press("j", "enter")  # Borna opens it: the line says whose it is
        await wait_for(borna, lambda: "Ana Horvat is handling this" in screen_text(borna_app))

        # Claiming it asks first, naming Ana; "Leave it" changes nothing.
        await borna.press("escape")  # back to the list (focus there)
        borna_screen.conv_list.focus()
        await borna.press("c")
        await wait_for(borna, lambda: isinstance(borna_app.screen, ConfirmModal))
        assert "Ana Horvat is handling" in screen_text(borna_app)
        await borna.press("n")
        await wait_for(borna, lambda: not isinstance(borna_app.screen, ConfirmModal))
        assert server.store.claims()[0].agent_name == "Ana Horvat"

        # Again, and take it over: the hub records it, Ana's session sees it.
        await borna.press("c")
        await wait_for(borna, lambda: isinstance(borna_app.screen, ConfirmModal))
        await borna.press("y")
        await wait_for(borna, lambda: server.store.claims()[0].agent_name == "Borna Kovač")
        await wait_for(
            ana, lambda: (c := ana_screen.team_state.owner(conv_id)) and c.agent == "Borna Kovač"
        )
        actions = [e.action for e in server.store.audit(conversation_id=conv_id)]
        assert actions[:2] == ["claim_taken_over", "claim"]

        # Borna releases it with the same key; both sessions see it free.
        await borna.press("c")
        await wait_for(borna, lambda: server.store.claims() == [])
        await wait_for(ana, lambda: ana_screen.team_state.owner(conv_id) is None)
        assert borna_screen.team_state.owner(conv_id) is None


async def test_a_claim_race_lost_asks_before_taking_over(
    sandbox: SandboxServer, start_server, tmp_path: Path
) -> None:
    """Even before the list has heard of Ana's claim, claiming asks first (the hub says 409)."""
    server = await start_server(sandbox)
    borna_app = team_app(server, 1, tmp_path)
    async with borna_app.run_test(size=(130, 36)) as borna:
        await wait_for(borna, lambda: ready(borna_app))
        screen = team_screen(borna_app)
        conv_id = model_id(screen.conv_list.rows[0])
        ana = server.agents.current.agents[0]
        server.store.claim(conv_id, ana, force=False)  # behind Borna's back
        screen.team_state.released(conv_id)  # as if the last round had not seen it yet
        await borna.press("c")
        await wait_for(borna, lambda: isinstance(borna_app.screen, ConfirmModal))
        assert "Ana Horvat" in screen_text(borna_app)
        await borna.press("escape")
        await wait_for(borna, lambda: not isinstance(borna_app.screen, ConfirmModal))
        assert server.store.claims()[0].agent_name == "Ana Horvat"
        assert screen.team_state.owner(conv_id).agent == "Ana Horvat"
