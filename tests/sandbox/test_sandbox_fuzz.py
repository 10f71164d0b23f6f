"""Garbage in every parameter of every endpoint: always an answer below 500, in the envelope."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator

import httpx
import pytest
from sandbox_support import headers

from sendbee_tui.sandbox import SandboxServer

GET = {
    "/contacts": ["tags", "status", "search_query", "page", "limit"],
    "/contacts/tags": ["name", "page", "limit"],
    "/contacts/fields": ["search_query", "page", "limit"],
    "/conversations": ["folder", "search_query", "date_from", "date_to", "page", "limit"],
    "/conversation": ["conversation_id"],
    "/conversations/messages": ["conversation_id", "page", "limit"],
    "/conversations/messages/templates": ["status", "search_query", "page", "limit"],
    "/teams/teams": ["member_id"],
    "/teams/members": ["team_id"],
    "/automation/chatbot/activity/status": ["conversation_id"],
    "/_sandbox/faults": [],
}
WRITE = {
    ("POST", "/contacts/subscribe"): [
        "phone",
        "whatsapp_user_id",
        "name",
        "tags",
        "notes",
        "contact_fields",
        "block_notifications",
        "block_automation",
    ],
    ("PUT", "/contacts"): [
        "id",
        "whatsapp_user_id",
        "phone",
        "name",
        "tags",
        "notes",
        "contact_fields",
        "block_notifications",
    ],
    ("POST", "/contacts/tags"): ["name"],
    ("PUT", "/contacts/tags"): ["id", "name"],
    ("DELETE", "/contacts/tags"): ["id"],
    ("POST", "/contacts/fields"): ["name", "type", "options"],
    ("PUT", "/contacts/fields"): ["id", "name", "type", "options"],
    ("DELETE", "/contacts/fields"): ["id"],
    ("POST", "/conversation"): ["conversation_id", "folder"],
    ("POST", "/conversations/messages/send"): [
        "phone",
        "whatsapp_user_id",
        "text",
        "media_url",
        "prevent_bot_off",
        "agent_id",
        "live_inbox",
    ],
    ("POST", "/conversations/messages/templates/send"): [
        "phone",
        "whatsapp_user_id",
        "template_keyword",
        "language",
        "tags",
        "button_tags",
        "attachment",
        "prevent_bot_off",
        "agent_id",
        "live_inbox",
    ],
    ("PUT", "/automation/chatbot/activity"): ["conversation_id", "active"],
    ("POST", "/webhooks/subscribe"): ["url", "event"],
    ("POST", "/_sandbox/inbound"): ["phone", "text", "name", "media_type", "media_url"],
    ("POST", "/_sandbox/faults"): ["latency_ms", "error_rate", "rate_limit_per_minute"],
}
QUERY_VALUES = [
    "",
    " ",
    "x",
    "-1",
    "0",
    "1",
    "101",
    "9" * 40,
    "\u0661\u0662",
    "nan",
    "inf",
    "1e400",
    "+385911234567",
    "a,b,,c",
    "\x00",
    "ž" * 300,
    "[bold]x[/]",
    "%",
]
JSON_VALUES: list[object] = [
    None,
    "",
    "x",
    0,
    -1,
    1.5,
    1e308,
    True,
    False,
    [],
    {},
    ["a"],
    [1, None],
    {"1": "a"},
    {"a": {"b": []}},
    "\u0000",
    "\ud800",
    "9" * 40,
    10**40,
    "+385911234567",
    "x" * 5000,
    "open",
    "vip",
    "https://e.x/a.jpg",
    "message.received",
    "list",
]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(contacts=6, conversations=6, messages_per_conversation=3) as srv:
        yield srv


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, (
        response.request.method,
        response.request.url,
        response.request.content[:200],
        response.text,
    )
    body = response.json()
    assert ("data" in body) != ("error" in body) or response.status_code == 429
    assert "Traceback" not in response.text


def test_garbage_query_parameters(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.base_url, trust_env=False) as http:
        for path, names in GET.items():
            for name, value in itertools.product([*names, "unknown"], QUERY_VALUES):
                _check(http.get(path, params={name: value}, headers=headers(server)))


def test_garbage_json_bodies(server: SandboxServer) -> None:
    rng = random.Random(1234)
    with httpx.Client(base_url=server.base_url, trust_env=False) as http:
        for (method, path), names in WRITE.items():
            if path == "/_sandbox/faults":
                continue  # would switch on injected errors for the rest of the loop
            for name, value in itertools.product(names, JSON_VALUES):
                body = json.dumps({name: value})
                _check(http.request(method, path, content=body, headers=headers(server)))
            for _ in range(60):  # random combinations of all parameters
                body = json.dumps({n: rng.choice(JSON_VALUES) for n in names if rng.random() < 0.7})
                _check(http.request(method, path, content=body, headers=headers(server)))
            for raw in (b"null", b"1", b'"x"', b"[" * 100000, b'{"a": ' * 5000, b"\xff"):
                _check(http.request(method, path, content=raw, headers=headers(server)))


def test_garbage_faults_values(fresh_sandbox: SandboxServer) -> None:
    with httpx.Client(base_url=fresh_sandbox.base_url, trust_env=False) as http:
        for name, value in itertools.product(
            [
                "latency_ms",
                "error_rate",
                "rate_limit_per_minute",
                "send_fault",
                "send_fault_rate",
                "send_fault_next",
            ],
            JSON_VALUES,
        ):
            r = http.post(
                "/_sandbox/faults",
                content=json.dumps({name: value}),
                headers=headers(fresh_sandbox),
            )
            _check(r)
            http.post(
                "/_sandbox/faults",
                json={
                    "latency_ms": 0,
                    "error_rate": 0,
                    "rate_limit_per_minute": None,
                    "send_fault": None,
                },
                headers=headers(fresh_sandbox),
            )
