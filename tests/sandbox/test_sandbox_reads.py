"""Read endpoints against the shared sandbox: envelope, filters, ordering, pagination."""

from __future__ import annotations

import time

from sandbox_support import Api, error


def _all_pages(api: Api, path: str, **params: object) -> list[dict]:
    items, page = [], 1
    while True:
        body = api.get(path, page=page, **params).json()
        items += body["data"]
        meta = body["meta"]
        assert meta["current_page"] == page
        if meta["current_page"] >= meta["last_page"]:
            assert body["links"]["next"] is None
            return items
        assert body["links"]["next"]
        page += 1


def test_conversations_envelope_and_order(api: Api) -> None:
    body = api.get("/conversations", limit=100).json()
    assert set(body) >= {"data", "meta", "links"}
    assert body["meta"]["total"] == 60 and body["meta"]["last_page"] == 1
    convs = body["data"]
    assert len(convs) == 60
    for conv in convs:
        assert conv["folder"] in {"open", "done", "spam", "notified"}
        assert isinstance(conv["contact"], dict) and isinstance(conv["last_message"], dict)
        assert set(conv["last_message"]) == {
            "direction",
            "status",
            "inbound_sent_at",
            "outbound_sent_at",
        }
    assert {c["folder"] for c in convs} == {"open", "done", "spam", "notified"}

    # Most recent activity first.
    def latest(c: dict) -> str:
        lm = c["last_message"]
        return max(x for x in (lm["inbound_sent_at"], lm["outbound_sent_at"]) if x)

    stamps = [latest(c) for c in convs]
    assert stamps == sorted(stamps, reverse=True)


def test_some_windows_open_some_closed(api: Api) -> None:
    convs = api.get("/conversations", limit=100).json()["data"]
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 86400))
    open_window = [c for c in convs if (c["last_message"]["inbound_sent_at"] or "") > now]
    assert 5 <= len(open_window) < len(convs)


def test_pagination_to_last_page(api: Api) -> None:
    items = _all_pages(api, "/conversations", limit=7)
    assert len(items) == 60 and len({c["id"] for c in items}) == 60
    last = api.get("/conversations", page=9, limit=7).json()
    assert last["meta"] == {
        "current_page": 9,
        "from": 57,
        "to": 60,
        "per_page": 7,
        "last_page": 9,
        "total": 60,
    }
    beyond = api.get("/conversations", page=10, limit=7).json()
    assert beyond["data"] == [] and beyond["meta"]["from"] is None


def test_folder_filter_and_search(api: Api) -> None:
    for folder in ("open", "done", "spam", "notified"):
        convs = _all_pages(api, "/conversations", folder=folder, limit=100)
        assert convs and all(c["folder"] == folder for c in convs)
    one = api.get("/conversations", limit=1).json()["data"][0]
    phone = one["contact"]["phone"]
    found = api.get("/conversations", search_query=phone[4:10]).json()["data"]
    assert one["id"] in {c["id"] for c in found}
    # A '+' sent unencoded arrives as a space; phone search still works.
    found = api.http.get(f"/conversations?search_query={phone}", headers=api_headers(api)).json()[
        "data"
    ]
    assert one["id"] in {c["id"] for c in found}
    named = next(
        c
        for c in api.get("/conversations", limit=100).json()["data"]
        if c["contact"]["name"] and c["contact"]["name"].isascii() is False
    )
    needle = named["contact"]["name"].split()[0].upper()
    assert named["id"] in {
        c["id"] for c in api.get("/conversations", search_query=needle, limit=100).json()["data"]
    }


def api_headers(api: Api) -> dict[str, str]:
    from sandbox_support import headers

    return headers(api.server)


def test_date_filters(api: Api) -> None:
    now = time.time()
    recent = _all_pages(api, "/conversations", date_from=int(now - 86400), limit=100)
    older = _all_pages(api, "/conversations", date_to=int(now - 86400), limit=100)
    assert recent and older and len(recent) + len(older) == 60
    assert not {c["id"] for c in recent} & {c["id"] for c in older}


def test_messages_newest_first_and_paged(api: Api) -> None:
    conv = api.get("/conversations").json()["data"][0]
    body = api.get("/conversations/messages", conversation_id=conv["id"]).json()
    msgs = body["data"]
    assert msgs and [m["sent_at"] for m in msgs] == sorted(
        (m["sent_at"] for m in msgs), reverse=True
    )
    assert all(isinstance(m["sent_at"], int) for m in msgs)
    total = body["meta"]["total"]
    everything = _all_pages(api, "/conversations/messages", conversation_id=conv["id"])
    assert len(everything) == total
    times = [m["sent_at"] for m in everything]
    assert times == sorted(times, reverse=True)


def test_demo_messages_cover_media_statuses_and_hostile_text(api: Api) -> None:
    bodies, media, statuses, fail_reasons, directions = [], set(), set(), set(), set()
    for conv in api.get("/conversations", limit=100).json()["data"]:
        for m in api.get("/conversations/messages", conversation_id=conv["id"], limit=100).json()[
            "data"
        ]:
            bodies.append(m["body"])
            media.add(m["media_type"])
            statuses.add(m["status"])
            directions.add(m["direction"])
            if m["status"] == "failed":
                fail_reasons.add(m["fail_reason"])
                assert m["fail_reason"]
    assert {"text", "image", "video", "audio", "document"} <= media
    assert {"received", "delivered", "read", "failed"} <= statuses
    assert {"inbound", "outbound"} <= directions
    assert any("[bold]x[/]" in b for b in bodies)
    assert any("[@click=app.quit]" in b for b in bodies)
    text = "".join(bodies)
    assert all(ch in "\n" or ord(ch) >= 32 for ch in text), "no raw control bytes in demo data"
    # Several scripts.
    assert any("\u0400" <= ch <= "\u04ff" for ch in text)  # Cyrillic
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # Arabic
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # CJK


def test_contacts(api: Api) -> None:
    body = api.get("/contacts", limit=100).json()
    contacts = body["data"]
    assert body["meta"]["total"] == 60
    names = "".join(c["name"] for c in contacts)
    assert "[/]" in names and "🐝" in names and any("\u0400" <= ch <= "\u04ff" for ch in names)
    for c in contacts:
        assert isinstance(c["tags"], list) and isinstance(c["notes"], list)
        assert isinstance(c["contact_fields"], list)
        assert c["phone"].startswith("+")
    types_seen = {f["key"] for c in contacts for f in c["contact_fields"]}
    assert {"Company", "Order count", "Plan", "Birthday", "Newsletter opt-in"} <= types_seen
    vip = api.get("/contacts", tags="vip", limit=100).json()["data"]
    assert vip and all("vip" in {t["name"] for t in c["tags"]} for c in vip)
    unsub = api.get("/contacts", status="unsubscribed", limit=100).json()["data"]
    assert unsub and all(c["status"] == "unsubscribed" for c in unsub)
    phone = contacts[0]["phone"]
    assert [c["id"] for c in api.get("/contacts", search_query=phone).json()["data"]] == [
        contacts[0]["id"]
    ]


def test_tags_fields_templates(api: Api) -> None:
    tags = api.get("/contacts/tags", limit=100).json()["data"]
    assert {"vip", "new"} <= {t["name"] for t in tags}
    assert [t["name"] for t in api.get("/contacts/tags", name="vi").json()["data"]] == ["vip"]
    fields = api.get("/contacts/fields", limit=100).json()["data"]
    assert {f["type"] for f in fields} == {"text", "number", "list", "date", "boolean"}
    plan = next(f for f in fields if f["type"] == "list")
    assert plan["options"] == ["Free", "Pro", "Enterprise"]
    assert [f["name"] for f in api.get("/contacts/fields", search_query="plan").json()["data"]] == [
        "Plan"
    ]
    templates = api.get("/conversations/messages/templates", limit=100).json()["data"]
    assert {t["status"] for t in templates} == {"approved", "pending", "rejected"}
    shipped = next(t for t in templates if t["keyword"] == "order_shipped")
    assert shipped["tags"] == [{"name": "1"}, {"name": "2"}, {"name": "3"}]
    assert shipped["button_tags"] == [{"name": "1"}]
    assert "{{1}}" in shipped["buttons"][0]["value"]
    assert {t["attachment"] for t in templates} >= {None, "image", "video", "document"}
    rejected = api.get("/conversations/messages/templates", status="rejected").json()["data"]
    assert rejected and all(t["rejected_reason"] for t in rejected)
    found = api.get("/conversations/messages/templates", search_query="invoice").json()["data"]
    assert [t["keyword"] for t in found] == ["invoice"]


def test_teams_and_members(api: Api) -> None:
    teams = api.get("/teams/teams").json()["data"]
    assert len(teams) == 2 and all(t["members"] for t in teams)
    members = api.get("/teams/members").json()["data"]
    assert len(members) == 5 and all(isinstance(m["teams"], list) for m in members)
    support = teams[0]
    in_support = api.get("/teams/members", team_id=support["id"]).json()["data"]
    assert {m["id"] for m in in_support} == {m["id"] for m in support["members"]}
    member = members[-1]
    assert {t["id"] for t in api.get("/teams/teams", member_id=member["id"]).json()["data"]} == {
        t["id"] for t in member["teams"]
    }
    error(api.get("/teams/members", team_id="nope"), 404)


def test_single_conversation_and_chatbot_status(api: Api) -> None:
    conv = api.get("/conversations").json()["data"][0]
    assert api.ok(api.get("/conversation", conversation_id=conv["id"])) == conv
    status = api.ok(api.get("/automation/chatbot/activity/status", conversation_id=conv["id"]))
    assert status == {"conversation_id": conv["id"], "chatbot_active": conv["chatbot_active"]}


def test_rate_limit_test_endpoints(api: Api) -> None:
    assert api.ok(api.get("/rate-limit/request-test"))["error"] is False
    r = api.get("/rate-limit/error-test")
    assert error(r, 429)["type"] == "rate_limit_exceeded"
    assert r.headers["Retry-After"].isdigit()


def test_pages_stay_disjoint_when_activity_ties(fresh_api: Api) -> None:
    """Pages are picked by (last activity, id): equal timestamps neither repeat nor vanish."""
    import sqlite3

    conn = sqlite3.connect(fresh_api.server.db_path, timeout=10)
    with conn:
        conn.execute("UPDATE conversations SET last_activity_at = 1700000000 WHERE rowid % 2 = 0")
    conn.close()
    whole = fresh_api.get("/conversations", limit=100).json()["data"]
    paged = _all_pages(fresh_api, "/conversations", limit=7)
    assert [c["id"] for c in paged] == [c["id"] for c in whole]
    assert len({c["id"] for c in paged}) == 60
    for folder in ("open", "done"):
        whole_folder = fresh_api.get("/conversations", folder=folder, limit=100).json()["data"]
        paged_folder = _all_pages(fresh_api, "/conversations", folder=folder, limit=3)
        assert [c["id"] for c in paged_folder] == [c["id"] for c in whole_folder]
