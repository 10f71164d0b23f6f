"""Deterministic, realistic demo data.

Everything comes from one seeded ``random.Random`` and timestamps are offsets
from the injected clock, so two runs with the same seed and clock produce the
same database, while "now" always looks current: some conversations have a
customer message within the last 24 hours (free-form replies allowed), others
do not (template only). Rows are inserted with ``executemany`` in the caller's
transaction, which keeps a fresh demo database well under a second.
"""

# ruff: noqa: RUF001 - demo data is multilingual on purpose

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass

from sendbee_tui.sandbox.demo_templates import NAMED_TEMPLATES, TEMPLATES, Template

BUSINESS_ID = "business-sandbox"

#: (country code, ISO country, first names, last names) — several scripts on purpose.
NAME_POOLS: list[tuple[str, str, list[str], list[str]]] = [
    (
        "385",
        "HR",
        ["Ivana", "Željko", "Mateja", "Đurđica", "Luka", "Ana", "Čedomir"],
        ["Horvat", "Šimić", "Kovačević", "Babić", "Jurić", "Marić"],
    ),
    ("49", "DE", ["Jürgen", "Lena", "Jörg", "Käthe"], ["Müller", "Schäfer", "Groß", "Weiß"]),
    ("33", "FR", ["Zoë", "Amélie", "François", "Hélène"], ["Lefèvre", "Dubois", "Mercier"]),
    ("34", "ES", ["José", "Inés", "Begoña", "Íñigo"], ["Núñez", "García", "Peña"]),
    ("351", "PT", ["João", "Conceição", "Sebastião"], ["Gonçalves", "Araújo", "Simões"]),
    ("7", "RU", ["Алексей", "Наталья", "Дмитрий", "Ольга"], ["Смирнов", "Иванова", "Кузнецов"]),
    ("971", "AE", ["محمد", "فاطمة", "عمر", "ليلى"], ["العلي", "الحسن", "النجار"]),
    ("86", "CN", ["芳", "伟", "静"], ["王", "李", "张"]),
    ("81", "JP", ["花子", "翔太", "さくら"], ["田中", "佐藤", "鈴木"]),
    ("82", "KR", ["민준", "서연", "지호"], ["김", "이", "박"]),
    ("30", "GR", ["Γιώργος", "Ελένη"], ["Παπαδόπουλος", "Νικολάου"]),
    ("91", "IN", ["प्रिया", "Arjun", "Ananya"], ["शर्मा", "Patel", "Iyer"]),
    ("44", "GB", ["Oliver", "Amelia", "Siobhán"], ["O'Brien", "Smith", "Davies"]),
    ("1", "US", ["Emily", "Marcus", "Chloé"], ["Johnson", "Nguyen", "Rodríguez"]),
]

#: Names that exercise the UI's markup safety and emoji width handling. No raw control bytes.
SPECIAL_NAMES = [
    "Lea 🐝 Bee",
    "🌻 Sunny Café",
    "Mark [/] Up",
    "[bold]Not Bold[/bold]",
    "Dr. Ivo Škaro 👨‍⚕️",
]

TAGS = ["vip", "new", "wholesale", "newsletter", "complaint", "returning", "b2b", "zagreb"]

#: (name, type, options)
FIELDS: list[tuple[str, str, list[str]]] = [
    ("Company", "text", []),
    ("Order count", "number", []),
    ("Plan", "list", ["Free", "Pro", "Enterprise"]),
    ("Birthday", "date", []),
    ("Newsletter opt-in", "boolean", []),
    ("City", "text", []),
]

INBOUND_TEXTS = [
    "Hi! Is my order already on its way?",
    "Bok, imate li ovo u veličini M?",
    "Guten Tag, wann öffnet der Laden morgen?",
    "¿Puedo cambiar la dirección de entrega?",
    "Здравствуйте! Сколько стоит доставка?",
    "مرحبا، هل يمكنني إرجاع المنتج؟",
    "你好，我想查询一下订单状态。",
    "こんにちは、予約を変更できますか？",
    "안녕하세요, 환불 가능한가요?",
    "Thanks a lot 🙏😊",
    "👍",
    "Can you send me the invoice again?",
    "The package arrived damaged 😞 what now?",
    "Merci beaucoup, à bientôt !",
    "Is there a discount for 10+ units?",
    "ok",
    "Multi-line message:\nline two\nline three",
    "Hello? Anyone there?",
    "Can I pay on delivery?",
    "Perfect, see you on Friday 🎉",
]

OUTBOUND_TEXTS = [
    "Hi! Thanks for reaching out, let me check that for you.",
    "Your order has shipped and should arrive within 2 days 📦",
    "Of course! I've attached the invoice.",
    "We're open 9–17 on weekdays.",
    "Sorry to hear that — could you send a photo of the damage?",
    "Yes, that's possible. I've updated the delivery address.",
    "Hvala na poruci, javit ćemo se uskoro!",
    "Anything else I can help with?",
    "You're welcome 😊",
    "Our team will get back to you within an hour.",
]

#: Deliberately hostile strings: markup and action links that a careless UI would interpret.
HOSTILE_TEXTS = [
    "Formatting test: [bold]x[/] and [red]red?[/red]",
    "Click me [@click=app.quit]please[/]",
    "Path C:\\Users\\[name]\\file.txt and a lone [ bracket",
]

LONG_TEXT = ("This is a long message to check wrapping. " * 12).strip() + " The end."

MEDIA = [
    ("image", "https://media.sandbox.sendbee.invalid/photos/{n}.jpg", "Photo of the product"),
    ("image", "https://media.sandbox.sendbee.invalid/photos/{n}.png", ""),
    ("video", "https://media.sandbox.sendbee.invalid/videos/{n}.mp4", "Unboxing video"),
    ("audio", "https://media.sandbox.sendbee.invalid/voice/{n}.ogg", ""),
    ("document", "https://media.sandbox.sendbee.invalid/docs/invoice-{n}.pdf", "invoice.pdf"),
    ("sticker", "https://media.sandbox.sendbee.invalid/stickers/{n}.webp", ""),
]

FAIL_REASONS = [
    "Message undeliverable: the recipient is not a WhatsApp user",
    "Re-engagement message: more than 24 hours passed since the customer last replied",
    "Media download failed: the media URL is not reachable",
]

TEAMS = ["Support", "Sales"]
#: (name, role, online, available, team indexes)
MEMBERS: list[tuple[str, str, bool, bool, list[int]]] = [
    ("Ana Admin", "owner", True, True, [0, 1]),
    ("Borna Kovač", "agent", True, True, [0]),
    ("Chen Wei 陈伟", "agent", False, False, [0]),
    ("Dunja Šarić", "manager", True, False, [1]),
    ("Emeka Obi", "agent", False, True, [1]),
]

FOLDER_WEIGHTS = [("open", 0.6), ("done", 0.25), ("notified", 0.1), ("spam", 0.05)]


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


def _template_rows(
    rng: random.Random, templates: list[Template], first_seq: int
) -> list[tuple[object, ...]]:
    return [
        (_uuid(rng), kw, lang, name, cat, status, text, json.dumps(buttons), att, reason, seq)
        for seq, (kw, lang, name, cat, status, text, buttons, att, reason) in enumerate(
            templates, start=first_seq
        )
    ]


def generate(conn: sqlite3.Connection, *, seed: int, now: float, size: DemoSize) -> None:
    """Fill an empty schema. Runs inside the caller's transaction."""
    rng = random.Random(seed)
    day = 86400.0

    # --- tags and fields -------------------------------------------------------------
    tag_rows = [(_uuid(rng), name, now - 90 * day + i) for i, name in enumerate(TAGS)]
    conn.executemany("INSERT INTO tags(id, name, created_at) VALUES (?,?,?)", tag_rows)
    field_rows = [
        (_uuid(rng), name, type_, json.dumps(options), now - 80 * day + i)
        for i, (name, type_, options) in enumerate(FIELDS)
    ]
    conn.executemany(
        "INSERT INTO fields(id, name, type, options, created_at) VALUES (?,?,?,?,?)", field_rows
    )

    # --- contacts ------------------------------------------------------------------
    n_contacts = max(size.contacts, size.conversations)
    contact_rows = []
    contact_tag_rows = []
    note_rows = []
    value_rows = []
    used_phones: set[str] = set()
    for i in range(n_contacts):
        cc, country, firsts, lasts = NAME_POOLS[i % len(NAME_POOLS)]
        if i < len(SPECIAL_NAMES) * 7 and i % 7 == 3:
            name = SPECIAL_NAMES[(i // 7) % len(SPECIAL_NAMES)]
        elif country in ("CN", "JP", "KR"):
            name = rng.choice(lasts) + rng.choice(firsts)
            if country == "JP":
                name = rng.choice(lasts) + " " + rng.choice(firsts)
        else:
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        while True:
            local = "".join(rng.choice("0123456789") for _ in range(max(7, 11 - len(cc))))
            phone = f"+{cc}{rng.randint(1, 9)}{local}"
            if i % 19 == 11:  # a few contacts the sandbox treats as unreachable
                phone = phone[:-3] + "000"
            elif unreachable(phone):
                continue
            if phone not in used_phones:
                break
        used_phones.add(phone)
        cid = _uuid(rng)
        created = now - rng.uniform(20, 400) * day
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
                created + rng.uniform(0, 10) * day,
                int(status == "subscribed" and i % 5 != 4),
                i,
            )
        )
        for tag in rng.sample(tag_rows, rng.choice([0, 0, 1, 1, 2, 3])):
            contact_tag_rows.append((cid, tag[0]))
        if i % 4 == 0:
            note_rows.append(
                (
                    _uuid(rng),
                    cid,
                    rng.choice(
                        [
                            "Prefers email for invoices",
                            "Call before delivery",
                            "Pays by bank transfer",
                            "Ask about the wholesale discount",
                            "Spricht nur Deutsch",
                        ]
                    ),
                    created + 60,
                )
            )
        for fid, fname, ftype, _opts, _created in field_rows:
            if rng.random() < 0.5:
                continue
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

    # --- members / teams -------------------------------------------------------------
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
    agent_ids = [row[0] for row in member_rows]

    # --- templates -------------------------------------------------------------------
    sql = (
        "INSERT INTO templates(id, keyword, language, name, category, status, text, buttons,"
        " attachment, rejected_reason, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
    )
    conn.executemany(sql, _template_rows(rng, TEMPLATES, 0))
    named_rng = random.Random(f"{seed}/named-templates")
    conn.executemany(sql, _template_rows(named_rng, NAMED_TEMPLATES, len(TEMPLATES)))

    # --- conversations and messages --------------------------------------------------
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
            last_at = now - rng.uniform(1.05 * day, 45 * day)
        r = rng.random()
        acc = 0.0
        folder = "open"
        for name, weight in FOLDER_WEIGHTS:
            acc += weight
            if r < acc:
                folder = name
                break
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
            t -= rng.choice([20.0, 45.0, 90.0, 300.0, 1800.0, 4 * 3600.0, 2 * day])
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
