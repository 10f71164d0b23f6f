"""Webhooks: only signed ones count, and a real sandbox webhook makes the hub's cache fresh."""

from __future__ import annotations

import asyncio
import time

import httpx

from sendbee_tui.api import SendbeeAuth, SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team.cache import CacheKey


async def test_only_webhooks_signed_with_the_account_secret_are_accepted(
    sandbox: SandboxServer, start_server
) -> None:
    server = await start_server(sandbox, webhook_listen=("127.0.0.1", 0))
    assert server.webhook_url is not None
    body = {"type": "message.received", "created_at": 0, "data": {"conversation": {"id": "c1"}}}
    real = SendbeeAuth(sandbox.api_secret)
    async with httpx.AsyncClient() as http:
        for token in (
            None,
            "garbage",
            SendbeeAuth("another-secret").token(),
            real.token(time.time() - 3600),  # a replayed old token
        ):
            headers = {} if token is None else {"X-Authorization": token}
            refused = await http.post(server.webhook_url, json=body, headers=headers)
            assert refused.status_code == 401
        assert server.hub.current_ttl() == server.config.cache_ttl  # nothing counted

        server.hub.cache._store(CacheKey("/conversations", "folder=open"), _ok())
        server.hub.cache._store(CacheKey("/conversations/messages", "x", "c2"), _ok())
        good = await http.post(
            server.webhook_url, json=body, headers={"X-Authorization": real.token()}
        )
        assert good.status_code == 200
    # The list and c1's thread are stale now; c2's thread is not.
    assert len(server.hub.cache) == 1
    assert server.hub.current_ttl() == server.config.webhook_ttl


async def test_a_sandbox_webhook_makes_every_session_see_a_new_message(
    fresh_sandbox: SandboxServer, start_server
) -> None:
    server = await start_server(fresh_sandbox, webhook_listen=("127.0.0.1", 0), cache_ttl=60.0)
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, base_url=fresh_sandbox.base_url
    ) as admin:
        for event in ("message.received", "message.sent", "conversation.change_folder"):
            await admin.webhooks.subscribe(server.webhook_url or "", event)

    ana = server.hub.sessions.open(server.agents.current.agents[0])
    async with SendbeeClient(ana.api_key, ana.api_secret, base_url=server.hub_url) as client:
        before = await client.conversations.list(folder="open", limit=5)
        again = await client.conversations.list(folder="open", limit=5)
        assert [c.id for c in again.items] == [c.id for c in before.items]
        upstream = server.hub.upstream.counts["GET /conversations"]
        assert upstream == 1  # the second read came from the cache

        fresh_sandbox.inbound("+385981112223", "Do you deliver on Sundays?", name="Webhook Kupac")
        # In a thread: the receiver answers from this very event loop.
        await asyncio.to_thread(fresh_sandbox.wait_for_webhooks)
        after = await client.conversations.list(folder="open", limit=5)
    assert after.items[0].contact.name == "Webhook Kupac"
    assert server.hub.upstream.counts["GET /conversations"] == 2


def _ok() -> object:
    from sendbee_tui.team.cache import CachedResponse

    return CachedResponse(200, b"{}")
