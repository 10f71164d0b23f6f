"""The demo's raw material: names, message texts, media, teams — the tables it draws from.

Kept apart from the generator (:mod:`sendbee_tui.sandbox.demo`) so the content
can be read and extended without wading through row building.  Multilingual,
with emoji and a few hostile strings on purpose: the demo doubles as a check
that the UI shows untrusted text literally and measures wide characters right.
The generator draws from these with a seeded ``random.Random``: changing a table
changes every demo database generated afterwards, snapshot tests included.
"""

# ruff: noqa: RUF001 - demo data is multilingual on purpose

from __future__ import annotations

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

#: Contact notes, one drawn for every fourth contact.
NOTE_TEXTS = [
    "Prefers email for invoices",
    "Call before delivery",
    "Pays by bank transfer",
    "Ask about the wholesale discount",
    "Spricht nur Deutsch",
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
