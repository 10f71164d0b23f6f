"""The hub: session credentials, the shared read cache, writes stamped with the agent."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from team_support import HubHarness

from sendbee_tui.api import SendbeeAuth
from sendbee_tui.api.errors import AuthenticationError, ServerError
from sendbee_tui.sandbox import SandboxServer


async def test_session_token_works_and_wrong_credentials_are_refused(
    sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(sandbox)
    session = h.open(h.ana)
    page = await h.client(session).conversations.list(limit=3)
    assert len(page.items) == 3

    async with h.raw() as raw:
        forged = SendbeeAuth("not-the-session-secret").token()
        for headers in (
            {"X-Api-Key": session.api_key, "X-Auth-Token": forged},
            {"X-Api-Key": "team-unknown", "X-Auth-Token": session.auth.token()},
            {"X-Api-Key": session.api_key},
            # The real account credentials are not hub credentials either.
            {"X-Api-Key": sandbox.api_key, "X-Auth-Token": SendbeeAuth(sandbox.api_secret).token()},
        ):
            response = await raw.get("/conversations", headers=headers)
            assert response.status_code == 401
            assert response.json()["error"]["type"] == "unauthorized"

    # A session that ended is forgotten: its credentials stop working at once.
    h.hub.end_session(session)
    with pytest.raises(AuthenticationError):
        await h.client(session).conversations.list(limit=1)


async def test_paths_outside_the_app_api_are_not_forwarded(
    sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(sandbox)
    session = h.open(h.ana)
    async with h.raw() as raw:
        headers = {"X-Api-Key": session.api_key, "X-Auth-Token": session.auth.token()}
        hook = await raw.post(
            "/webhooks/subscribe",
            headers=headers,
            json={"url": "http://attacker.example/x", "event": "message.received"},
        )
        assert hook.status_code == 404
        assert (await raw.get("/rate-limit/request-test", headers=headers)).status_code == 404
        assert (await raw.post("/_sandbox/reset", headers=headers)).status_code == 404
        assert (await raw.delete("/conversations", headers=headers)).status_code == 405
    assert h.hub.upstream.total == 0


async def test_real_credentials_never_appear_in_hub_answers(
    sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(sandbox)
    session = h.open(h.ana)
    secrets = (sandbox.api_key.encode(), sandbox.api_secret.encode())
    async with h.raw() as raw:
        headers = {"X-Api-Key": session.api_key, "X-Auth-Token": session.auth.token()}
        answers = [
            await raw.get("/conversations", headers=headers),
            await raw.get("/teams/members", headers=headers),
            await raw.get("/conversation", params={"conversation_id": "nope"}, headers=headers),
            await raw.post("/conversations/messages/send", headers=headers, json={"text": "x"}),
            await raw.get("/_team/me", headers=headers),
            await raw.get("/conversations", headers={"X-Api-Key": "x", "X-Auth-Token": "y"}),
        ]
    for answer in answers:
        blob = answer.content + json.dumps(dict(answer.headers)).encode()
        assert not any(s in blob for s in secrets), answer.request.url


async def test_three_polling_sessions_cost_about_one_sessions_upstream_requests(
    sandbox: SandboxServer, make_hub
) -> None:
    """Each session polls the list every 5 s and its thread every 3 s, at its own phase."""
    conversation = (await _first_conversation(sandbox, make_hub)).id

    async def run(sessions: int) -> int:
        h: HubHarness = await make_hub(sandbox, cache_ttl=3.0)
        clients = [h.client(h.open(h.ana if i % 2 else h.borna)) for i in range(sessions)]
        for tick in range(120):  # 60 s in half-second steps
            for i, client in enumerate(clients):
                phase = tick + i * 3  # sessions start 1.5 s apart
                if phase % 10 == 0:
                    await client.conversations.list(folder="open", page=1, limit=50)
                if phase % 6 == 0:
                    await client.conversations.messages(conversation, page=1)
            h.clock.advance(0.5)
        return h.hub.upstream.total

    one, three = await run(1), await run(3)
    assert one > 0
    assert three <= 1.5 * one, (one, three)


async def test_concurrent_identical_reads_share_one_upstream_request(
    fresh_sandbox: SandboxServer, make_hub
) -> None:
    fresh_sandbox.set_faults(latency_ms=150)
    h: HubHarness = await make_hub(fresh_sandbox)
    clients = [h.client(h.open(h.ana)) for _ in range(5)]
    pages = await asyncio.gather(*(c.conversations.list(limit=5) for c in clients))
    assert len({tuple(c.id for c in p.items) for p in pages}) == 1
    assert h.hub.upstream.counts["GET /conversations"] == 1
    assert h.hub.cache.joins == 4


async def test_a_send_goes_out_as_the_sessions_agent_and_is_audited_without_text(
    fresh_sandbox: SandboxServer, make_hub, members, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h: HubHarness = await make_hub(fresh_sandbox)
    fresh_sandbox.inbound("+385911234567", "Hello, is my order shipped?", name="Test Kupac")
    client = h.client(h.open(h.borna))
    convs = await client.conversations.list(limit=1)
    conversation = convs.items[0]
    before = await client.conversations.messages(conversation.id)  # now cached

    # The session claims to be someone else: the hub overrides it.
    sent = await client.messages.send(
        phone="+385911234567", text="Shipped this morning", agent_id=members[0]["id"]
    )
    assert sent.id == conversation.id
    after = await client.conversations.messages(conversation.id)
    assert len(after.items) == len(before.items) + 1, "the write must invalidate the thread"
    newest = after.items[0]
    assert newest.body == "Shipped this morning"
    assert newest.from_user_id == h.borna.member_id == members[1]["id"]

    audit = h.hub.store.audit(conversation_id=conversation.id)
    assert [(e.agent_name, e.action, e.outcome) for e in audit] == [
        ("Borna Kovač", "send_message", "200")
    ]
    assert "Shipped" not in repr(audit)
    # The server log says who did what, without the text and without any credential.
    assert "agent Borna Kovač (session" in caplog.text
    assert f"send_message conversation={conversation.id} -> 200" in caplog.text
    for never in ("Shipped", fresh_sandbox.api_key, fresh_sandbox.api_secret):
        assert never not in caplog.text


async def test_a_lost_answer_to_a_send_is_a_may_have_arrived_error_never_a_retry(
    fresh_sandbox: SandboxServer, make_hub
) -> None:
    h: HubHarness = await make_hub(fresh_sandbox, upstream_timeout=0.3)
    fresh_sandbox.inbound("+385911234568", "Hi", name="Slow Kupac")
    fresh_sandbox.set_faults(latency_ms=1000)
    client = h.client(h.open(h.ana), max_retries=3)
    with pytest.raises(ServerError) as caught:
        await client.messages.send(phone="+385911234568", text="are you there?")
    assert caught.value.status == 504
    assert caught.value.type == "upstream_answer_lost"
    assert h.hub.upstream.counts["POST /conversations/messages/send"] == 1
    assert h.hub.store.audit()[0].outcome == "unknown (answer lost)"


async def _first_conversation(sandbox: SandboxServer, make_hub) -> object:
    h: HubHarness = await make_hub(sandbox)
    page = await h.client(h.open(h.ana)).conversations.list(folder="open", limit=1)
    return page.items[0]
