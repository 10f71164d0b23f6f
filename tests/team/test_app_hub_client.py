"""The app's hub client (``/_team/*``) against a real hub over a sandbox."""

from __future__ import annotations

import pytest
from team_support import HubHarness

from sendbee_tui.api import AuthenticationError
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.team.hub_client import ClaimHeld, TeamHub


async def test_presence_claims_conflicts_and_release(sandbox: SandboxServer, make_hub) -> None:
    h: HubHarness = await make_hub(sandbox)
    ana = TeamHub(h.client(h.open(h.ana)))
    borna = TeamHub(h.client(h.open(h.borna)))

    await ana.report_presence("c1", True)
    seen = await borna.report_presence(None, False)
    assert seen.online == ("Ana Horvat", "Borna Kovač")
    assert seen.conversations["c1"].viewing == ("Ana Horvat",)
    assert seen.conversations["c1"].typing == ("Ana Horvat",)
    assert (await ana.report_presence("c1", False)).conversations == {}  # not herself

    claim = await ana.claim("c1")
    assert (claim.conversation_id, claim.agent, claim.member_id) == (
        "c1",
        "Ana Horvat",
        h.ana.member_id,
    )
    assert (await ana.claim("c1")) == claim  # claiming again keeps it as it was
    with pytest.raises(ClaimHeld) as held:
        await borna.claim("c1")
    assert held.value.holder == claim
    assert held.value.detail.startswith("Ana Horvat is handling this conversation")
    with pytest.raises(ClaimHeld):
        await borna.release("c1")

    taken = await borna.claim("c1", force=True)
    assert taken.agent == "Borna Kovač"
    assert set(await ana.claims()) == {"c1"}
    assert (await ana.claims())["c1"].agent == "Borna Kovač"
    assert (await borna.release("c1")) == taken
    assert await borna.release("c1") is None
    assert await ana.claims() == {}


async def test_a_session_that_ended_is_refused(sandbox: SandboxServer, make_hub) -> None:
    h: HubHarness = await make_hub(sandbox)
    session = h.open(h.ana)
    hub = TeamHub(h.client(session))
    await hub.claims()
    h.hub.sessions.close(session)
    with pytest.raises(AuthenticationError):
        await hub.report_presence(None, False)
