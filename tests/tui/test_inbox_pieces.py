"""The pure pieces behind triage and search: filters, the unread tally, the text index,
the thread header's layout, the catch-up's words, terminal widths."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len

from sendbee_tui.api import Conversation, ConversationContact, LastMessage, Message
from sendbee_tui.tui.cell_widths import is_spacing_mark, use_terminal_widths
from sendbee_tui.tui.inbox.arrivals import plural
from sendbee_tui.tui.inbox.filters import ListFilter, TaggedContacts, apply, window_state
from sendbee_tui.tui.inbox.text_search import TextIndex, fold, name_matches
from sendbee_tui.tui.inbox.unread import UnreadTally
from sendbee_tui.tui.widgets.filter_bar import filter_summary
from sendbee_tui.tui.widgets.thread_header import header_content

NOW = 1_800_000_000.0


def conv(
    cid: str,
    *,
    folder: str = "open",
    inbound_ago: float | None = 3600.0,
    bot: bool = False,
    name: str = "Ana Horvat",
    phone: str = "+385911234567",
    contact_id: str = "",
) -> Conversation:
    inbound = datetime.fromtimestamp(NOW - inbound_ago, UTC) if inbound_ago is not None else None
    return Conversation(
        id=cid,
        folder=folder,
        chatbot_active=bot,
        contact=ConversationContact(id=contact_id or f"c-{cid}", name=name, phone=phone),
        last_message=LastMessage(direction="inbound", inbound_sent_at=inbound),
    )


def test_window_state_and_filters() -> None:
    fresh, closing, closed = (
        conv("a"),
        conv("b", inbound_ago=22 * 3600),
        conv("c", inbound_ago=None),
    )
    assert [window_state(c, NOW) for c in (fresh, closing, closed)] == [
        "open",
        "closing",
        "closed",
    ]
    bots = [conv("d", bot=True), conv("e")]
    assert [c.id for c in apply(bots, ListFilter(bot=True), now=NOW, tagged=None)] == ["d"]
    assert [c.id for c in apply(bots, ListFilter(bot=False), now=NOW, tagged=None)] == ["e"]
    closing_only = apply(
        [fresh, closing, closed], ListFilter(window="closing"), now=NOW, tagged=None
    )
    assert [c.id for c in closing_only] == ["b"]
    # A tag filter whose contacts are not loaded yet shows nothing (never unfiltered rows).
    tagged = ListFilter(tag="vip")
    assert apply([fresh], tagged, now=NOW, tagged=None) == []
    vip = TaggedContacts("vip", frozenset({"c-a"}), frozenset({"+38599"}))
    by_phone = conv("z", phone="+38599", contact_id="other")
    assert [c.id for c in apply([fresh, closing, by_phone], tagged, now=NOW, tagged=vip)] == [
        "a",
        "z",
    ]
    assert ListFilter(tag="vip", bot=False, window="closing").describe() == [
        "tag vip",
        "bot off",
        "window closing <3h",
    ]
    assert not ListFilter().active


def test_unread_tally_counts_every_folder_and_says_when_partial() -> None:
    unread_ids = {"o1", "d1"}
    tally = UnreadTally(lambda c: c.id in unread_ids)
    tally.set_head("open", [conv("o1"), conv("o2")], total=2)
    tally.set_head("done", [conv("d1", folder="done")], total=1)
    tally.set_head("spam", [], total=0)
    tally.set_head("notified", [], total=0)
    summary = tally.summary(["o1", "o2"], loaded_folder="open")
    assert (summary.total, summary.partial) == (2, False)
    assert summary.by_folder == {"open": 1, "done": 1, "spam": 0, "notified": 0}
    # A conversation moved to Done (seen there later) counts under Done.
    tally.see([conv("o1", folder="done")])
    assert tally.summary().by_folder["done"] == 2
    # Done has 80 conversations but only its first page was looked at: a lower bound.
    tally.set_head("done", [conv("d1", folder="done")], total=80)
    assert tally.summary().partial


def test_text_index_and_name_match() -> None:
    index = TextIndex()
    index.remember("x", [Message(id="1", body="Do you sell  MARMALADE?")])
    assert index.thread_matches("x", fold("marmalade"))
    assert not index.thread_matches("y", "marmalade")
    ana = conv("a")
    assert name_matches(ana, fold("horv"))
    assert name_matches(ana, "91 123")  # digits of the phone, spaces ignored
    assert not name_matches(ana, "zz")


def test_thread_header_drops_the_least_important_parts_first() -> None:
    closed = conv("a", inbound_ago=None, name="Sebastião Araújo", bot=True)
    full = header_content(closed, NOW, 0).plain
    assert full == "Sebastião Araújo  +385911234567  window closed  bot on  open"
    assert header_content(closed, NOW, 55).plain == (
        "Sebastião Araújo  +385911234567  window closed  bot on"
    )
    assert header_content(closed, NOW, 44).plain == "Sebastião Araújo  window closed  bot on"
    assert header_content(closed, NOW, 34).plain == "Sebastião Araújo  window closed"
    narrow = header_content(closed, NOW, 20).plain
    assert narrow.endswith("closed") and narrow.startswith("Seb")
    assert header_content(conv("b"), NOW, 24).plain == "Ana Horvat  ◷23h00"
    wide_name = header_content(conv("c", inbound_ago=None, name="王小明" * 10), NOW, 30)
    assert wide_name.cell_length <= 30 and wide_name.plain.endswith("closed")


def test_catch_up_words_and_filter_summary() -> None:
    assert plural(1, "conversation") == "1 conversation"
    assert plural(3, "new conversation") == "3 new conversations"
    assert filter_summary([], search="", text_coverage=0).plain == ""
    summary = filter_summary(["bot on"], search="anna", text_coverage=12).plain
    assert summary == "bot on · name/phone: all · text: 12 loaded · F clears"


def test_spacing_marks_measure_one_cell() -> None:
    use_terminal_widths()
    assert is_spacing_mark(0x093E) and not is_spacing_mark(0x094D)  # vowel sign AA; virama
    assert cell_len("का") == 2  # KA + VOWEL SIGN AA: two columns in a terminal
    assert cell_len("क्") == 1  # KA + VIRAMA: the virama takes none
    assert cell_len("é") == 1 and cell_len("e\u0301") == 1 and cell_len("王") == 2
