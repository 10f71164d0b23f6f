"""Deterministic, realistic demo data.

Everything comes from one seeded ``random.Random`` and timestamps are offsets
from the injected clock, so two runs with the same seed and clock produce the
same database, while "now" always looks current: some conversations have a
customer message within the last 24 hours (free-form replies allowed), others
do not (template only). Rows are inserted with ``executemany`` in the caller's
transaction, which keeps a fresh demo database well under a second.

The tables drawn from (names, texts, media, teams) live in
:mod:`sendbee_tui.sandbox.demo_data` and are re-exported here; this module
builds rows.  Each ``_insert_*`` step draws from the one generator in a fixed
order: reordering them, or the draws inside them, changes every demo database.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass

from sendbee_tui.sandbox.demo_data import (
    BUSINESS_ID,
    FAIL_REASONS,
    FIELDS,
    FOLDER_WEIGHTS,
    HOSTILE_TEXTS,
    INBOUND_TEXTS,
    LONG_TEXT,
    MEDIA,
    MEMBERS,
    NAME_POOLS,
    NOTE_TEXTS,
    OUTBOUND_TEXTS,
    SPECIAL_NAMES,
    TAGS,
    TEAMS,
)
from sendbee_tui.sandbox.demo_templates import NAMED_TEMPLATES, TEMPLATES, Template

__all__ = [
    "BUSINESS_ID",
    "FAIL_REASONS",
    "FIELDS",
    "FOLDER_WEIGHTS",
    "HOSTILE_TEXTS",
    "INBOUND_TEXTS",
    "LONG_TEXT",
    "MEDIA",
    "MEMBERS",
    "NAME_POOLS",
    "NOTE_TEXTS",
    "OUTBOUND_TEXTS",
    "SPECIAL_NAMES",
    "TAGS",
    "TEAMS",
    "DemoSize",
    "generate",
    "unreachable",
]

DAY = 86400.0

#: Rows as inserted: (id, name, created_at) and (id, name, type, options, created_at).
TagRow = tuple[str, str, float]
FieldRow = tuple[str, str, str, str, float]
#: (id, name, phone, whatsapp_user_id, status, created_at, modified_at, consent, seq)
ContactRow = tuple[str, str, str, str, str, float, float, int, int]


@dataclass(frozen=True)
class DemoSize:
    """How much demo data to generate; the defaults match the app's demo mode."""

    contacts: int = 40
    conversations: int = 60
    messages_per_conversation: int = 50
    big_thread_messages: int = 0


def _uuid(rng: random.Random) -> str:
    """A version-4 UUID string from the seeded generator (fast path of ``uuid.UUID``)."""
    h = f"{rng.getrandbits(128) & ~(0xF << 76) & ~(0x3 << 62) | (4 << 76) | (0x2 << 62):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def unreachable(phone: str) -> bool:
    """The sandbox's rule for numbers that are not on WhatsApp: digits end in ``000``."""
    return phone.endswith("000")


def generate(conn: sqlite3.Connection, *, seed: int, now: float, size: DemoSize) -> None:
    """Fill an empty schema. Runs inside the caller's transaction."""
    rng = random.Random(seed)
    tag_rows, field_rows = _insert_tags_and_fields(conn, rng, now)
    contact_rows = _insert_contacts(conn, rng, now, size, tag_rows, field_rows)
    agent_ids = _insert_teams(conn, rng)
    _insert_templates(conn, rng, seed)
    _insert_conversations(conn, rng, now, size, contact_rows, agent_ids)


def _insert_tags_and_fields(
    conn: sqlite3.Connection, rng: random.Random, now: float
) -> tuple[list[TagRow], list[FieldRow]]:
    tag_rows = [(_uuid(rng), name, now - 90 * DAY + i) for i, name in enumerate(TAGS)]
    conn.executemany("INSERT INTO tags(id, name, created_at) VALUES (?,?,?)", tag_rows)
    field_rows = [
        (_uuid(rng), name, type_, json.dumps(options), now - 80 * DAY + i)
        for i, (name, type_, options) in enumerate(FIELDS)
    ]
    conn.executemany(
        "INSERT INTO fields(id, name, type, options, created_at) VALUES (?,?,?,?,?)", field_rows
    )
    return tag_rows, field_rows


def _contact_name(rng: random.Random, i: int) -> str:
    """Contact ``i``'s name: from its country's pool, or one of the special names."""
    _cc, country, firsts, lasts = NAME_POOLS[i % len(NAME_POOLS)]
    if i < len(SPECIAL_NAMES) * 7 and i % 7 == 3:
        return SPECIAL_NAMES[(i // 7) % len(SPECIAL_NAMES)]
    if country in ("CN", "JP", "KR"):
        name = rng.choice(lasts) + rng.choice(firsts)
        if country == "JP":
            name = rng.choice(lasts) + " " + rng.choice(firsts)
        return name
    return f"{rng.choice(firsts)} {rng.choice(lasts)}"


def _contact_phone(rng: random.Random, i: int, used_phones: set[str]) -> str:
    """A phone in contact ``i``'s country not used yet; a few are deliberately unreachable."""
    cc = NAME_POOLS[i % len(NAME_POOLS)][0]
    while True:
        local = "".join(rng.choice("0123456789") for _ in range(max(7, 11 - len(cc))))
        phone = f"+{cc}{rng.randint(1, 9)}{local}"
        if i % 19 == 11:  # a few contacts the sandbox treats as unreachable
            phone = phone[:-3] + "000"
        elif unreachable(phone):
            continue
        if phone not in used_phones:
            return phone


def _insert_contacts(
    conn: sqlite3.Connection,
    rng: random.Random,
    now: float,
    size: DemoSize,
    tag_rows: list[TagRow],
    field_rows: list[FieldRow],
) -> list[ContactRow]:
    """Contacts with tags, notes and custom field values; one per conversation at least."""
    n_contacts = max(size.contacts, size.conversations)
    contact_rows: list[ContactRow] = []
    contact_tag_rows = []
    note_rows = []
    value_rows = []
    used_phones: set[str] = set()
    for i in range(n_contacts):
        country = NAME_POOLS[i % len(NAME_POOLS)][1]
        name = _contact_name(rng, i)
        phone = _contact_phone(rng, i, used_phones)
        used_phones.add(phone)
        cid = _uuid(rng)
        created = now - rng.uniform(20, 400) * DAY
        status = "unsubscribed" if i % 13 == 5 else "subscribed"
        wa_id = f"{country}.{rng.randint(10**18, 10**19 - 1)}"
        if i >= size.contacts and i % 3 == 0:
            name = ""  # an unsaved number: only the phone is known
        contact_rows.append(
            (
                cid,
                name,
                phone,
                wa_id,
                status,
                created,
                created + rng.uniform(0, 10) * DAY,
                int(status == "subscribed" and i % 5 != 4),
                i,
            )
        )
        for tag in rng.sample(tag_rows, rng.choice([0, 0, 1, 1, 2, 3])):
            contact_tag_rows.append((cid, tag[0]))
        if i % 4 == 0:
            note_rows.append((_uuid(rng), cid, rng.choice(NOTE_TEXTS), created + 60))
        for fid, fname, ftype, _opts, _created in field_rows:
            if rng.random() < 0.5:
                continue
            # Every kind is drawn, whichever is used: the draws stay in a fixed order.
            value = {
                "text": rng.choice(["Acme d.o.o.", "Bäckerei Groß", "株式会社テスト", "Zagreb"]),
                "number": str(rng.randint(0, 250)),
                "list": rng.choice(["Free", "Pro", "Enterprise"]),
                "date": f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}"
                f"-{rng.randint(1, 28):02d}",
                "boolean": rng.choice(["true", "false"]),
            }[ftype]
            if fname == "City":
                value = rng.choice(["Zagreb", "Split", "München", "Москва", "東京", "Dubai"])
            value_rows.append((cid, fid, value))
    conn.executemany(
        "INSERT INTO contacts(id, name, phone, whatsapp_user_id, status, created_at, modified_at,"
        " has_messaging_consent, seq) VALUES (?,?,?,?,?,?,?,?,?)",
        contact_rows,
    )
    conn.executemany("INSERT INTO contact_tags(contact_id, tag_id) VALUES (?,?)", contact_tag_rows)
    conn.executemany(
        "INSERT INTO notes(id, contact_id, value, created_at) VALUES (?,?,?,?)", note_rows
    )
    conn.executemany(
        "INSERT INTO contact_field_values(contact_id, field_id, value) VALUES (?,?,?)", value_rows
    )
    return contact_rows


def _insert_teams(conn: sqlite3.Connection, rng: random.Random) -> list[str]:
    """Teams and their members; returns the member ids (who sends outbound messages)."""
    team_rows = [(_uuid(rng), name, i) for i, name in enumerate(TEAMS)]
    member_rows = [
        (_uuid(rng), name, role, int(online), int(available), i)
        for i, (name, role, online, available, _teams) in enumerate(MEMBERS)
    ]
    conn.executemany("INSERT INTO teams(id, name, seq) VALUES (?,?,?)", team_rows)
    conn.executemany(
        "INSERT INTO members(id, name, role, online, available, seq) VALUES (?,?,?,?,?,?)",
        member_rows,
    )
    conn.executemany(
        "INSERT INTO team_members(team_id, member_id) VALUES (?,?)",
        [
            (team_rows[t][0], member_rows[m][0])
            for m, (*_rest, teams) in enumerate(MEMBERS)
            for t in teams
        ],
    )
    return [row[0] for row in member_rows]


def _template_rows(
    rng: random.Random, templates: list[Template], first_seq: int
) -> list[tuple[object, ...]]:
    return [
        (_uuid(rng), kw, lang, name, cat, status, text, json.dumps(buttons), att, reason, seq)
        for seq, (kw, lang, name, cat, status, text, buttons, att, reason) in enumerate(
            templates, start=first_seq
        )
    ]


def _insert_templates(conn: sqlite3.Connection, rng: random.Random, seed: int) -> None:
    """The message templates; the named ones draw their ids from a generator of their own."""
    sql = (
        "INSERT INTO templates(id, keyword, language, name, category, status, text, buttons,"
        " attachment, rejected_reason, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
    )
    conn.executemany(sql, _template_rows(rng, TEMPLATES, 0))
    named_rng = random.Random(f"{seed}/named-templates")
    conn.executemany(sql, _template_rows(named_rng, NAMED_TEMPLATES, len(TEMPLATES)))


def _pick_folder(rng: random.Random) -> str:
    """A folder drawn by :data:`FOLDER_WEIGHTS`."""
    r = rng.random()
    acc = 0.0
    for name, weight in FOLDER_WEIGHTS:
        acc += weight
        if r < acc:
            return name
    return "open"


def _insert_conversations(
    conn: sqlite3.Connection,
    rng: random.Random,
    now: float,
    size: DemoSize,
    contact_rows: list[ContactRow],
    agent_ids: list[str],
) -> None:
    """One conversation per contact (in contact order) with its messages, oldest first."""
    conv_rows = []
    msg_rows: list[tuple[object, ...]] = []
    hostile_left = list(HOSTILE_TEXTS)
    mpc = max(1, size.messages_per_conversation)
    for c in range(size.conversations):
        contact = contact_rows[c]
        cid, phone = contact[0], contact[2]
        conv_id = _uuid(rng)
        # Activity spread: the first third within the last 24 h (window open), the rest older.
        if c < max(1, size.conversations // 3):
            last_at = now - rng.uniform(60, 20 * 3600)
        else:
            last_at = now - rng.uniform(1.05 * DAY, 45 * DAY)
        folder = _pick_folder(rng)
        if c == 0 or c < 6:
            folder = "open"
        count = (
            size.big_thread_messages
            if c == 0 and size.big_thread_messages
            else rng.randint(max(1, mpc // 4), max(1, mpc * 7 // 4))
        )
        # Walk backwards from the last activity time.
        t = last_at
        times = []
        for _ in range(count):
            times.append(t)
            t -= rng.choice([20.0, 45.0, 90.0, 300.0, 1800.0, 4 * 3600.0, 2 * DAY])
        times.reverse()
        created = times[0] - 60
        # The latest message is inbound for a window-open conversation (customer waiting).
        direction = "inbound"
        last_inbound = None
        last_outbound = None
        last_msg_id = None
        unreachable_contact = unreachable(phone)
        for k, ts in enumerate(times):
            is_last = k == count - 1
            if is_last:
                direction = "inbound" if c % 3 != 2 else "outbound"
            elif rng.random() < 0.45:
                direction = "outbound" if direction == "inbound" else "inbound"
            if unreachable_contact:
                direction = "outbound"
            mid = _uuid(rng)
            media_type, media_url, body = "text", None, ""
            roll = rng.random()
            if hostile_left and k == count - 2:
                body = hostile_left.pop()
            elif roll < 0.12:
                mt, url, caption = rng.choice(MEDIA)
                media_type, media_url, body = mt, url.format(n=rng.randint(100, 999)), caption
            elif roll < 0.14:
                body = LONG_TEXT
            else:
                body = rng.choice(INBOUND_TEXTS if direction == "inbound" else OUTBOUND_TEXTS)
            fail_reason = None
            if direction == "inbound":
                status = "received"
                frm, to = cid, BUSINESS_ID
                last_inbound = ts
            else:
                frm, to = rng.choice(agent_ids), cid
                last_outbound = ts
                if unreachable_contact:
                    status, fail_reason = "failed", FAIL_REASONS[0]
                elif rng.random() < 0.03:
                    status, fail_reason = "failed", rng.choice(FAIL_REASONS[1:])
                elif now - ts < 600:
                    status = "delivered"
                else:
                    status = "read" if rng.random() < 0.85 else "delivered"
                if not is_last and rng.random() < 0.03:
                    direction = "bot"
                    frm = "chatbot"
            msg_rows.append(
                (
                    mid,
                    conv_id,
                    body,
                    media_type,
                    media_url,
                    status,
                    direction,
                    ts,
                    fail_reason,
                    frm,
                    to,
                )
            )
            last_msg_id = mid
        conv_rows.append(
            (
                conv_id,
                cid,
                folder,
                int(c % 4 == 1),
                "whatsapp",
                created,
                times[-1],
                last_inbound,
                last_outbound,
                last_msg_id,
            )
        )
    conn.executemany(
        "INSERT INTO conversations(id, contact_id, folder, chatbot_active, platform, created_at,"
        " last_activity_at, last_inbound_at, last_outbound_at, last_message_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        conv_rows,
    )
    conn.executemany(
        "INSERT INTO messages(id, conversation_id, body, media_type, media_url, status, direction,"
        " sent_at, fail_reason, from_user_id, to_user_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        msg_rows,
    )
