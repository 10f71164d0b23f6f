"""``sendbee_tui.api.SendbeeClient`` against the sandbox: every resource end to end."""

from __future__ import annotations

import pytest

from sendbee_tui.api import (
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    SendbeeClient,
    ValidationError,
)
from sendbee_tui.sandbox import SandboxServer


def client_for(server: SandboxServer, **kw: object) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, base_url=server.base_url, **kw)


async def test_reads_and_pagination(sandbox: SandboxServer) -> None:
    async with client_for(sandbox) as sb:
        page = await sb.conversations.list(limit=25)
        assert page.meta.total == 60 and page.meta.last_page == 3 and page.has_next()
        ids = [c.id async for c in sb.conversations.iterate(limit=25)]
        assert len(ids) == len(set(ids)) == 60
        conv = page.items[0]
        assert (await sb.conversations.get(conv.id)).id == conv.id
        msgs = await sb.conversations.messages(conv.id)
        assert msgs.items and msgs.items[0].sent_at is not None
        assert msgs.items[0].sent_at >= msgs.items[-1].sent_at
        every = [m async for m in sb.conversations.iter_messages(conv.id)]
        assert len(every) == msgs.meta.total
        contacts = await sb.contacts.list(tags=["vip"], limit=100)
        assert contacts.items and all("vip" in {t.name for t in c.tags} for c in contacts)
        assert {f.type for f in (await sb.fields.list(limit=100)).items} == {
            "text",
            "number",
            "list",
            "date",
            "boolean",
        }
        assert "vip" in {t.name for t in (await sb.tags.list(limit=100)).items}
        rejected = await sb.templates.list(status="rejected")
        assert rejected.items and all(t.rejected_reason for t in rejected.items)
        teams = await sb.teams.list()
        assert len(teams.items) == 2
        assert (await sb.teams.members(team_id=teams.items[0].id)).items
        status = await sb.chatbot.status(conv.id)
        assert status.conversation_id == conv.id
        await sb.rate_limit.request_test()


async def test_errors_map_to_typed_exceptions(sandbox: SandboxServer) -> None:
    async with client_for(sandbox, max_retries=0) as sb:
        with pytest.raises(NotFoundError):
            await sb.conversations.get("nope")
        with pytest.raises(ValidationError) as info:
            await sb.messages.send(phone="+15550004444", text="no window")
        assert info.value.type == "outside_customer_care_window"
        with pytest.raises(RateLimitError) as rl:
            await sb.rate_limit.error_test()
        assert rl.value.retry_after is not None
    async with SendbeeClient(sandbox.api_key, "wrong", base_url=sandbox.base_url) as bad:
        with pytest.raises(AuthenticationError) as auth:
            await bad.contacts.list()
        assert "signature" in auth.value.detail


async def test_writes(fresh_sandbox: SandboxServer) -> None:
    async with client_for(fresh_sandbox) as sb:
        contact = await sb.contacts.subscribe(
            "+38591333444",
            name="Async Client",
            tags=["x1"],
            notes=["n1"],
            contact_fields={"Plan": "Pro"},
        )
        assert [t.name for t in contact.tags] == ["x1"]
        updated = await sb.contacts.update(contact.id, name="Async 2", tags=["x2"])
        assert updated.name == "Async 2" and [t.name for t in updated.tags] == ["x2"]
        tag = await sb.tags.create("t-async")
        assert (await sb.tags.update(tag.id, "t-async-2")).name == "t-async-2"
        await sb.tags.delete(tag.id)
        field = await sb.fields.create("Colour", "list", options=["red", "blue"])
        assert field.options == ("red", "blue")
        assert (await sb.fields.update(field.id, name="Color")).name == "Color"
        await sb.fields.delete(field.id)
        fresh_sandbox.inbound("+38591333444", "hello")
        sent = await sb.messages.send(phone="+38591333444", text="hi")
        assert sent.conversation_id and sent.message_id
        tpl = await sb.messages.send_template(
            phone="+38591333444",
            keyword="welcome",
            language="hr",
            tags={"1": "Ana", "2": "Sendbee"},
        )
        assert tpl.conversation_id == sent.conversation_id
        moved = await sb.conversations.move(sent.conversation_id, "done")
        assert moved.folder == "done"
        await sb.chatbot.set(sent.conversation_id, True)
        assert (await sb.chatbot.status(sent.conversation_id)).chatbot_active is True
        hook = await sb.webhooks.subscribe("http://127.0.0.1:9/x", "message.sent")
        assert hook.selected_webhooks == ("message.sent",) or list(hook.selected_webhooks) == [
            "message.sent"
        ]
