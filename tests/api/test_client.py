"""SendbeeClient lifecycle, construction checks and injected transports."""

from __future__ import annotations

import httpx
import pytest
from apitest_support import API_KEY, API_SECRET, Recorder

from sendbee_tui.api import DEFAULT_BASE_URL, SendbeeClient


async def test_context_manager_closes_and_aclose_is_idempotent(recorder: Recorder) -> None:
    async with SendbeeClient(API_KEY, API_SECRET, base_url=recorder.base_url + "/") as sb:
        assert sb.base_url == recorder.base_url
        await sb.tags.list()
        assert not sb.is_closed
    assert sb.is_closed
    await sb.aclose()
    assert sb.is_closed


def test_defaults_and_repr() -> None:
    sb = SendbeeClient(API_KEY, API_SECRET)
    assert sb.base_url == DEFAULT_BASE_URL == "https://api-v2.sendbee.io"
    assert sb.transport.policy.max_retries == 3
    assert sb.transport.http_client.timeout == httpx.Timeout(20.0)
    for text in (repr(sb), str(sb), repr(sb.transport), repr(sb.contacts)):
        assert API_KEY not in text and API_SECRET not in text


@pytest.mark.parametrize(
    ("key", "secret", "kwargs", "fragment"),
    [
        ("", API_SECRET, {}, "api_key"),
        (API_KEY, "", {}, "api_secret"),
        (API_KEY, API_SECRET, {"max_retries": -1}, "max_retries"),
    ],
)
def test_construction_checks(key: str, secret: str, kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        SendbeeClient(key, secret, **kwargs)


async def test_injected_asgi_transport_reaches_an_in_process_app() -> None:
    """``transport=`` accepts any httpx transport, e.g. an ASGI app without sockets."""
    seen: list[tuple[str, str]] = []

    async def app(scope, receive, send) -> None:  # minimal ASGI app
        seen.append((scope["method"], scope["path"]))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": b'{"data": {"conversation_id": "c", "chatbot_active": true}}',
            }
        )

    async with SendbeeClient(
        API_KEY, API_SECRET, base_url="http://api.test", transport=httpx.ASGITransport(app=app)
    ) as sb:
        status = await sb.chatbot.status("c")
    assert status.chatbot_active is True
    assert seen == [("GET", "/automation/chatbot/activity/status")]
