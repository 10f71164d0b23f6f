"""Auth failures and bad input: always a precise 4xx envelope, never a 500 or a traceback."""

from __future__ import annotations

import base64
import time

import httpx
import pytest
from sandbox_support import Api, error, headers, token

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.sandbox.auth import check_token, make_token


def _get(server: SandboxServer, hdrs: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{server.base_url}/contacts", headers=hdrs, trust_env=False)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda s: {}, "Missing X-Api-Key"),
        (
            lambda s: {"X-Api-Key": "wrong", "X-Auth-Token": token(s.api_secret)},
            "Invalid X-Api-Key",
        ),
        (lambda s: {"X-Api-Key": s.api_key}, "Missing X-Auth-Token"),
        (lambda s: {"X-Api-Key": s.api_key, "X-Auth-Token": token("other-secret")}, "signature"),
        (lambda s: headers(s, time.time() - 3600), "Expired"),
        (lambda s: headers(s, time.time() + 3600), "future"),
        (lambda s: {"X-Api-Key": s.api_key, "X-Auth-Token": "%%%not-base64%%%"}, "Malformed"),
        (
            lambda s: {
                "X-Api-Key": s.api_key,
                "X-Auth-Token": base64.b64encode(b"no-dot-here").decode(),
            },
            "Malformed",
        ),
        (
            lambda s: {
                "X-Api-Key": s.api_key,
                "X-Auth-Token": base64.b64encode(b"12ab.deadbeef").decode(),
            },
            "Malformed",
        ),
        (
            lambda s: {"X-Api-Key": s.api_key, "X-Auth-Token": base64.b64encode(b"1.2.3").decode()},
            "Malformed",
        ),
    ],
)
def test_auth_failures_are_401_with_a_clear_detail(sandbox: SandboxServer, make, needle) -> None:
    err = error(_get(sandbox, make(sandbox)), 401)
    assert needle in err["detail"] and err["type"] == "authentication_failed"
    assert sandbox.api_secret not in err["detail"]


def test_token_within_window_is_accepted(sandbox: SandboxServer) -> None:
    assert _get(sandbox, headers(sandbox, time.time() - 600)).status_code == 200
    assert _get(sandbox, headers(sandbox, time.time() + 600)).status_code == 200


def test_check_token_unit() -> None:
    assert check_token("s", make_token("s", 1000), now=1000) is None
    assert check_token("s", make_token("s", 1000), now=1000 + 901) is not None
    assert check_token("s", "\u00e9\u00e9", now=0) is not None  # non-ASCII never raises


def test_control_endpoints_need_auth(sandbox: SandboxServer) -> None:
    r = httpx.post(f"{sandbox.base_url}/_sandbox/reset", trust_env=False)
    assert error(r, 401)["type"] == "authentication_failed"


def test_unknown_path_and_method(api: Api) -> None:
    assert error(api.get("/does/not/exist"), 404)["type"] == "not_found"
    assert error(api.delete("/conversations"), 405)["type"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "needle"),
    [
        ("POST", "/contacts/tags", b"{not json", 400, "Malformed JSON"),
        ("POST", "/contacts/tags", b"[1, 2]", 400, "must be an object"),
        ("POST", "/contacts/tags", b"\xff\xfe", 400, "UTF-8"),
        ("POST", "/contacts/tags", b"{}", 400, "'name'"),
        ("POST", "/contacts/tags", b'{"name": 5}', 400, "must be a string"),
        ("POST", "/contacts/fields", b'{"name": "X", "type": "colour"}', 400, "must be one of"),
        ("POST", "/contacts/fields", b'{"name": "X", "type": "list"}', 400, "options"),
        ("POST", "/contacts/subscribe", b'{"phone": "12345"}', 400, "E.164"),
        ("POST", "/contacts/subscribe", b'{"name": "No phone"}', 400, "'phone'"),
        ("POST", "/contacts/subscribe", b'{"phone": "+38591111222", "tags": 7}', 400, "'tags'"),
        (
            "POST",
            "/contacts/subscribe",
            b'{"phone": "+38591111222", "contact_fields": []}',
            400,
            "'contact_fields'",
        ),
        ("PUT", "/contacts", b'{"id": "nope"}', 404, "Contact nope"),
        ("PUT", "/contacts/tags", b'{"id": "nope", "name": "x"}', 404, "Tag nope"),
        ("DELETE", "/contacts/tags", b'{"id": "nope"}', 404, "Tag nope"),
        ("DELETE", "/contacts/fields", b"{}", 400, "'id'"),
        ("POST", "/conversation", b'{"conversation_id": "nope", "folder": "done"}', 404, "nope"),
        ("POST", "/conversation", b'{"conversation_id": "x", "folder": "spam"}', 400, "open, done"),
        ("POST", "/conversations/messages/send", b'{"text": "hi"}', 400, "phone"),
        ("POST", "/conversations/messages/send", b'{"phone": "+38591111222"}', 400, "'text'"),
        (
            "POST",
            "/conversations/messages/send",
            b'{"phone": "+38591111222", "text": "hi", "prevent_bot_off": "maybe"}',
            400,
            "boolean",
        ),
        (
            "POST",
            "/conversations/messages/send",
            b'{"phone": "+38591111222", "media_url": "ftp://x/y.jpg"}',
            400,
            "http",
        ),
        (
            "POST",
            "/conversations/messages/send",
            b'{"whatsapp_user_id": "ZZ.1", "text": "hi"}',
            404,
            "ZZ.1",
        ),
        (
            "POST",
            "/conversations/messages/templates/send",
            b'{"phone": "+38591111222", "language": "en"}',
            400,
            "template_keyword",
        ),
        (
            "POST",
            "/conversations/messages/templates/send",
            b'{"phone": "+38591111222", "template_keyword": "nope", "language": "en"}',
            404,
            "nope",
        ),
        (
            "PUT",
            "/automation/chatbot/activity",
            b'{"conversation_id": "nope", "active": true}',
            404,
            "nope",
        ),
        ("PUT", "/automation/chatbot/activity", b'{"conversation_id": "x"}', 400, "'active'"),
        ("POST", "/webhooks/subscribe", b'{"url": "http://x", "event": "nope"}', 400, "one of"),
        (
            "POST",
            "/webhooks/subscribe",
            b'{"url": "file:///etc", "event": "message.sent"}',
            400,
            "http",
        ),
        ("POST", "/_sandbox/faults", b'{"error_rate": 2}', 400, "between 0 and 1"),
        ("POST", "/_sandbox/inbound", b'{"phone": "+38591111222"}', 400, "'text'"),
    ],
)
def test_bad_input(sandbox: SandboxServer, method, path, body, status, needle) -> None:
    """Every case fails validation, so the shared server's data is untouched."""
    r = httpx.request(
        method,
        sandbox.base_url + path,
        content=body,
        headers={**headers(sandbox), "Content-Type": "application/json"},
        trust_env=False,
    )
    err = error(r, status)
    assert needle in err["detail"]


@pytest.mark.parametrize(
    ("path", "params", "needle"),
    [
        ("/contacts", {"page": "x"}, "'page' must be an integer"),
        ("/contacts", {"page": "0"}, "'page' must be"),
        ("/contacts", {"limit": "101"}, "between 1 and 100"),
        ("/contacts", {"status": "maybe"}, "subscribed, unsubscribed"),
        ("/conversations", {"folder": "inbox"}, "open, done, spam, notified"),
        ("/conversations", {"date_from": "yesterday"}, "Unix timestamp"),
        ("/conversation", {}, "'conversation_id'"),
        ("/conversations/messages", {}, "'conversation_id'"),
        ("/conversations/messages/templates", {"status": "draft"}, "pending"),
    ],
)
def test_bad_query_parameters(api: Api, path, params, needle) -> None:
    assert needle in error(api.get(path, **params), 400)["detail"]


def test_unknown_ids_are_404(api: Api) -> None:
    assert error(api.get("/conversation", conversation_id="nope"), 404)["type"] == "not_found"
    error(api.get("/conversations/messages", conversation_id="nope"), 404)
    error(api.get("/automation/chatbot/activity/status", conversation_id="nope"), 404)


def test_oversized_body_is_413_without_writes(fresh_sandbox: SandboxServer) -> None:
    api = Api(fresh_sandbox)
    big = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    before = api.get("/contacts/tags").json()["meta"]["total"]
    r = httpx.post(
        fresh_sandbox.base_url + "/contacts/tags",
        content=big,
        headers={**headers(fresh_sandbox), "Content-Type": "application/json"},
        trust_env=False,
    )
    assert error(r, 413)["type"] == "payload_too_large"

    def chunks():  # no Content-Length: the streaming cap must catch it too
        for _ in range(20):
            yield b"x" * 65536

    r = httpx.post(
        fresh_sandbox.base_url + "/contacts/tags",
        content=chunks(),
        headers=headers(fresh_sandbox),
        trust_env=False,
    )
    assert error(r, 413)["type"] == "payload_too_large"
    assert api.get("/contacts/tags").json()["meta"]["total"] == before
    api.close()


def test_failed_write_leaves_no_half_written_rows(fresh_api: Api) -> None:
    # The tag would be created before the bad field value is noticed: must roll back.
    r = fresh_api.post(
        "/contacts/subscribe",
        {
            "phone": "+38591555666",
            "tags": ["brand-new-tag"],
            "contact_fields": {"Order count": "lots"},
        },
    )
    assert "must be a number" in error(r, 400)["detail"]
    assert fresh_api.get("/contacts/tags", name="brand-new-tag").json()["data"] == []
    assert fresh_api.get("/contacts", search_query="+38591555666").json()["data"] == []
