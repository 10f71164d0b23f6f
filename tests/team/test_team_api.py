"""The team endpoints: who am I, presence between sessions, claims (409 when held), audit."""

from __future__ import annotations

from typing import Any

import httpx
from team_support import HubHarness

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team.sessions import HubSession
from sendbee_tui.team.teamstore import TeamStore


def _headers(session: HubSession) -> dict[str, str]:
    return {"X-Api-Key": session.api_key, "X-Auth-Token": session.auth.token()}


async def _call(
    raw: httpx.AsyncClient, session: HubSession, method: str, path: str, body: Any = None
) -> httpx.Response:
    return await raw.request(method, path, headers=_headers(session), json=body)


async def test_me_names_the_sessions_agent(sandbox: SandboxServer, make_hub, members) -> None:
    h: HubHarness = await make_hub(sandbox)
    session = h.open(h.ana)
    async with h.raw() as raw:
        me = (await _call(raw, session, "GET", "/_team/me")).json()["data"]
    assert me == {
        "name": "Ana Horvat",
        "member_id": members[0]["id"],
        "slug": "ana-horvat",
        "session_id": session.id,
    }


async def test_presence_is_seen_from_another_session_and_expires(
    sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(sandbox)
    ana, borna = h.open(h.ana), h.open(h.borna)
    async with h.raw() as raw:
        await _call(raw, ana, "POST", "/_team/presence", {"conversation_id": "c1", "typing": True})
        seen = (await _call(raw, borna, "GET", "/_team/presence")).json()["data"]
        assert seen["conversations"] == {
            "c1": {"viewing": ["Ana Horvat"], "typing": ["Ana Horvat"]}
        }
        assert [a["name"] for a in seen["online"]] == ["Ana Horvat", "Borna Kovač"]
        # One's own presence is not reported back as "someone else is here".
        own = (await _call(raw, ana, "GET", "/_team/presence")).json()["data"]
        assert own["conversations"] == {}

        # Borna opens the same conversation (the answer is the presence document).
        both = await _call(raw, borna, "POST", "/_team/presence", {"conversation_id": "c1"})
        assert both.json()["data"]["conversations"]["c1"]["viewing"] == ["Ana Horvat"]

        h.clock.advance(6)  # Ana stopped reporting: after ~5 s she is no longer there
        stale = (await _call(raw, borna, "GET", "/_team/presence")).json()["data"]
        assert stale["conversations"] == {}

        bad = await _call(raw, ana, "POST", "/_team/presence", {"conversation_id": 5})
        assert bad.status_code == 400


async def test_claims_conflict_force_release_and_survive_a_restart(
    sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(sandbox)
    ana, borna = h.open(h.ana), h.open(h.borna)
    async with h.raw() as raw:
        mine = await _call(raw, ana, "POST", "/_team/claims", {"conversation_id": "c1"})
        assert mine.status_code == 200
        assert mine.json()["data"]["agent"] == "Ana Horvat"
        again = await _call(raw, ana, "POST", "/_team/claims", {"conversation_id": "c1"})
        assert again.json()["data"] == mine.json()["data"]

        held = await _call(raw, borna, "POST", "/_team/claims", {"conversation_id": "c1"})
        assert held.status_code == 409
        error = held.json()["error"]
        assert error["type"] == "claimed"
        assert error["detail"].startswith("Ana Horvat is handling this conversation")
        assert error["holder"]["member_id"] == h.ana.member_id
        release = await _call(raw, borna, "DELETE", "/_team/claims", {"conversation_id": "c1"})
        assert release.status_code == 409

        taken = await _call(
            raw, borna, "POST", "/_team/claims", {"conversation_id": "c1", "force": True}
        )
        assert taken.json()["data"]["agent"] == "Borna Kovač"
        await _call(raw, ana, "POST", "/_team/claims", {"conversation_id": "c2"})
        listed = (await _call(raw, ana, "GET", "/_team/claims")).json()["data"]
        assert {(c["conversation_id"], c["agent"]) for c in listed} == {
            ("c1", "Borna Kovač"),
            ("c2", "Ana Horvat"),
        }
        gone = await _call(raw, ana, "DELETE", "/_team/claims", {"conversation_id": "c2"})
        assert gone.json()["data"]["released"]["conversation_id"] == "c2"
        audit = (await _call(raw, ana, "GET", "/_team/audit?conversation_id=c1")).json()["data"]
        assert [(a["agent"], a["action"]) for a in audit] == [
            ("Borna Kovač", "claim_taken_over"),
            ("Ana Horvat", "claim"),
        ]

    # Claims live in SQLite on the host: a restarted server still knows them.
    path = h.hub.store.path
    h.hub.store.close()
    reopened = TeamStore(path)
    try:
        assert [(c.conversation_id, c.agent_name) for c in reopened.claims()] == [
            ("c1", "Borna Kovač")
        ]
    finally:
        reopened.close()
    h.hub.store = TeamStore(path)  # so the fixture's cleanup has an open store to close


async def test_moving_a_conversation_to_done_releases_its_claim(
    fresh_sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(fresh_sandbox)
    ana = h.open(h.ana)
    client = h.client(ana)
    conversation = (await client.conversations.list(folder="open", limit=1)).items[0]
    async with h.raw() as raw:
        claim = {"conversation_id": conversation.id}
        assert (await _call(raw, ana, "POST", "/_team/claims", claim)).status_code == 200
        await client.conversations.move(conversation.id, "done")
        assert (await _call(raw, ana, "GET", "/_team/claims")).json()["data"] == []
    actions = [e.action for e in h.hub.store.audit(conversation_id=conversation.id)]
    assert actions == ["release_on_done", "move_conversation", "claim"]
