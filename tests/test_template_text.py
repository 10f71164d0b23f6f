"""Unit tests for the pure template helpers behind the template form."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from sendbee_tui.tui import template_text as tt


@dataclass(frozen=True)
class _Tag:
    name: str


@dataclass(frozen=True)
class _Button:
    index: int
    type: str
    title: str
    value: str | None


@dataclass(frozen=True)
class _Template:
    keyword: str = "order_ready"
    name: str = "Order ready"
    text: str = "Hi {{1}}, order {{2}} is ready."
    tags: tuple[Any, ...] = ()
    buttons: tuple[_Button, ...] = ()
    button_tags: tuple[Any, ...] = ()
    attachment: str | None = None


@dataclass(frozen=True)
class _Field:
    key: str
    value: Any


@dataclass(frozen=True)
class _Contact:
    name: str | None
    phone: str | None
    contact_fields: tuple[_Field, ...] = field(default_factory=tuple)


def test_module_does_not_need_textual() -> None:
    # The rules are plain Python: importing them must not pull in the UI toolkit.
    import subprocess

    code = (
        "import sys, sendbee_tui.tui.template_text; "
        "print(any(k.split('.')[0] == 'textual' for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (None, []),
        ("no placeholders", []),
        ("{{1}}", ["1"]),
        ("{{2}} then {{1}} then {{2}}", ["1", "2"]),
        ("{{10}} {{9}} {{1}}", ["1", "9", "10"]),
        ("{{ 3 }} spaced", ["3"]),
        ("{{name}} and {{1}}", ["1", "name"]),
        ("{1} and {{}} are not placeholders", []),
    ],
)
def test_placeholders_in(text: str | None, expected: list[str]) -> None:
    assert tt.placeholders_in(text) == expected


@pytest.mark.parametrize("raw", ["1", "{{1}}", " {{ 1 }} ", "{1}"])
def test_normalise_placeholder(raw: str) -> None:
    assert tt.normalise_placeholder(raw) == "1"


def test_text_placeholders_union_of_text_and_declared_tags() -> None:
    template = _Template(text="Hi {{1}}", tags=(_Tag("{{1}}"), _Tag("{{3}}"), {"name": "2"}))
    assert tt.text_placeholders(template) == ["1", "2", "3"]


def test_button_placeholders_from_dynamic_urls_and_button_tags() -> None:
    template = _Template(
        buttons=(
            _Button(0, "url", "Track", "https://shop.example/track/{{1}}"),
            _Button(1, "quick_reply", "Stop", None),
        ),
        button_tags=(_Tag("{{1}}"),),
    )
    assert tt.button_placeholders(template) == ["1"]
    assert tt.button_placeholders(_Template()) == []


def test_missing_placeholders_treats_whitespace_as_empty() -> None:
    assert tt.missing_placeholders(["1", "2", "3"], {"1": "Ann", "2": "  "}) == ["2", "3"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("Ann", True),
        ("", True),
        ("two  spaces    four", True),
        ("five     spaces", False),
        ("line\nbreak", False),
        ("tab\there", False),
    ],
)
def test_check_placeholder_value(value: str, ok: bool) -> None:
    assert (tt.check_placeholder_value(value) is None) is ok


def test_fill_and_segments() -> None:
    text = "Hi {{1}}, order {{2}} is ready."
    assert tt.fill(text, {"1": "Ann"}) == "Hi Ann, order {{2}} is ready."
    assert tt.fill(text, {"1": "Ann", "2": "#42"}) == "Hi Ann, order #42 is ready."
    segments = tt.fill_segments(text, {"1": "Ann"})
    assert [s.kind for s in segments] == ["text", "value", "text", "missing", "text"]
    assert segments[1] == tt.Segment("Ann", "value", "1")
    assert segments[3] == tt.Segment("{{2}}", "missing", "2")


def test_fill_does_not_interpret_values_or_markup() -> None:
    # A value that itself looks like a placeholder or markup is inserted verbatim, once.
    assert tt.fill("{{1}} {{2}}", {"1": "{{2}}", "2": "[b]x[/]"}) == "{{2}} [b]x[/]"


def test_fill_repeated_placeholder() -> None:
    assert tt.fill("{{1}} and {{1}}", {"1": "A"}) == "A and A"


def test_button_previews_fill_dynamic_url() -> None:
    template = _Template(
        buttons=(_Button(0, "url", "Track", "https://shop.example/t/{{1}}"),),
    )
    previews = tt.button_previews(template, {"1": "ABC"})
    assert previews == [tt.ButtonPreview("Track", "url", "https://shop.example/t/ABC")]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a.jpg", True),
        ("http://example.com", True),
        ("HTTPS://EXAMPLE.COM/x", True),
        ("", False),
        ("   ", False),
        ("example.com/a.jpg", False),
        ("ftp://example.com/a.jpg", False),
        ("https://", False),
        ("https://exa mple.com/a.jpg", False),
        ("javascript:alert(1)", False),
        ("http://[::1", False),
    ],
)
def test_check_url(url: str, ok: bool) -> None:
    assert (tt.check_url(url) is None) is ok


@pytest.mark.parametrize(
    ("kind", "url", "ok"),
    [
        ("image", "https://cdn.example/p.jpg", True),
        ("image", "https://cdn.example/p.JPEG?x=1", True),
        ("image", "https://cdn.example/p.png", True),
        ("image", "https://cdn.example/render?id=5", True),  # no extension: loose
        ("image", "https://cdn.example/image.php", True),  # unknown extension: loose
        ("image", "https://cdn.example/clip.mp4", False),
        ("image", "https://cdn.example/file.pdf", False),
        ("image", "https://cdn.example/anim.gif", False),  # an image, but not one WhatsApp takes
        ("video", "https://cdn.example/clip.mp4", True),
        ("video", "https://cdn.example/clip.3gp", True),
        ("video", "https://cdn.example/clip.mov", False),
        ("document", "https://cdn.example/f.docx", True),
        ("document", "https://cdn.example/f.xlsx", True),
        ("document", "https://cdn.example/f.jpg", False),
        ("document", "ftp://cdn.example/f.pdf", False),
        (None, "https://cdn.example/anything.exe", True),
    ],
)
def test_check_attachment_url(kind: str | None, url: str, ok: bool) -> None:
    assert (tt.check_attachment_url(url, kind) is None) is ok


def test_attachment_error_names_the_allowed_type() -> None:
    message = tt.check_attachment_url("https://x.example/a.mp4", "image")
    assert message is not None
    assert "image (JPG, PNG)" in message
    assert ".mp4" in message


def test_attachment_rule() -> None:
    assert tt.attachment_rule(None) is None
    assert tt.attachment_rule("") is None
    assert tt.attachment_rule("audio") is None
    rule = tt.attachment_rule("Document")
    assert rule is not None
    assert rule.description == "document (PDF, DOC, PPT, XLS)"
    video = tt.attachment_rule("video")
    assert video is not None
    assert video.description == "video (MP4, 3GP)"


def test_contact_values() -> None:
    contact = _Contact(
        name="Ann Smith",
        phone="+38591111222",
        contact_fields=(_Field("City", "Zagreb"), _Field("Empty", ""), _Field("Age", 31)),
    )
    assert tt.contact_values(contact) == {
        "Name": "Ann Smith",
        "Phone": "+38591111222",
        "First name": "Ann",
        "City": "Zagreb",
        "Age": "31",
    }
    assert tt.contact_values(None) == {}
    assert tt.contact_values(_Contact(name=None, phone="+1555")) == {"Phone": "+1555"}


@pytest.mark.parametrize(
    ("query", "ok"),
    [
        ("", True),
        ("ORDER", True),
        ("ready order", True),
        ("is ready", True),
        ("order_ready", True),
        ("invoice", False),
        ("order invoice", False),
    ],
)
def test_template_matches(query: str, ok: bool) -> None:
    assert tt.template_matches(_Template(), query) is ok


# --------------------------------------------------------------------------- picker and recipient


@dataclass(frozen=True)
class _Reviewed:
    status: str | None
    name: str | None = None
    keyword: str | None = None
    language: str | None = None


def test_sendable_and_status() -> None:
    assert tt.sendable(_Reviewed("APPROVED"))
    assert not tt.sendable(_Reviewed("pending"))
    assert not tt.sendable(_Reviewed(None))
    assert tt.status_of(_Reviewed("Rejected")) == "rejected"
    assert tt.status_of(_Reviewed(None)) == "unknown"


def test_picker_order_is_sendable_first_then_by_name_and_language() -> None:
    templates = [
        _Reviewed("rejected", name="A"),
        _Reviewed("pending", name="B"),
        _Reviewed("approved", name="zeta", language="en"),
        _Reviewed("approved", keyword="Alpha", language="hr"),
        _Reviewed("approved", keyword="alpha", language="en"),
        _Reviewed("weird", name="C"),
    ]
    ordered = sorted(templates, key=tt.picker_sort_key)
    assert [(t.status, t.name or t.keyword, t.language) for t in ordered] == [
        ("approved", "alpha", "en"),
        ("approved", "Alpha", "hr"),
        ("approved", "zeta", "en"),
        ("pending", "B", None),
        ("rejected", "A", None),
        ("weird", "C", None),
    ]


def test_first_line_and_tag_label() -> None:
    assert tt.first_line("  one\n two  ") == "one two"
    assert tt.first_line("x" * 10, width=5) == "xxxx…"
    assert tt.first_line(None) == ""
    assert tt.tag_label("2") == "{{2}}"


def test_button_titles_name_the_buttons_a_placeholder_fills() -> None:
    template = _Template(
        buttons=(
            _Button(0, "url", "Track", "https://x.example/t/{{1}}"),
            _Button(1, "url", "Invoice", "https://x.example/i/{{1}}/{{2}}"),
            _Button(2, "quick_reply", "Stop", "STOP"),
        )
    )
    assert tt.button_titles(template, "1") == "“Track”, “Invoice”"
    assert tt.button_titles(template, "2") == "“Invoice”"
    assert tt.button_titles(template, "3") == ""


def test_recipient_is_given_phone_then_conversation_then_contact() -> None:
    from sendbee_tui.api.models import Contact, Conversation, ConversationContact

    contact = Contact(name="Contact Name", phone="+385911111111")
    conversation = Conversation(
        id="c1", contact=ConversationContact(name=" Conv Name ", phone=" +385922222222 ")
    )
    assert tt.recipient_phone("+385933333333", contact, conversation) == "+385933333333"
    assert tt.recipient_phone(None, contact, conversation) == "+385922222222"
    assert tt.recipient_phone(None, contact, None) == "+385911111111"
    assert tt.recipient_phone(None, None, None) is None
    assert tt.recipient_name(contact, conversation) == "Conv Name"
    assert tt.recipient_name(contact, Conversation(id="c2")) == "Contact Name"
    assert tt.recipient_name(None, None) is None


# --------------------------------------------------------------------------- named placeholders


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome {name}!", ["name"]),
        ("Hi {name}, card {card_number}, again {name}", ["name", "card_number"]),
        # Numbered first (in numeric order), then named ones in the order they appear.
        ("{to_time} {{2}} {day} {{1}}", ["1", "2", "to_time", "day"]),
        ("{ name } and {1} and {first name} are plain text", []),
        ("{{ first_name }}", ["first_name"]),
    ],
)
def test_placeholders_in_named(text: str, expected: list[str]) -> None:
    assert tt.placeholders_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hi {{1}}, {name} says {{2}} to {{1}}",
        "{{{1}}} {{{name}}} {{x} {y}}",
        "{ {a} } {{ b }} {c d} {1} {{}} {} {_e}",
        "https://x.example/{booking}/{{1}}?q={not a tag}",
        "no placeholders at all",
    ],
)
def test_segments_agree_with_the_clients_list(text: str) -> None:
    """The preview and the inputs come from one grammar: the client's."""
    from sendbee_tui.api import template_placeholders

    segments = tt.fill_segments(text, {})
    found = [s.placeholder for s in segments if s.kind == "missing"]
    assert list(dict.fromkeys(found)) == list(template_placeholders(text))
    assert "".join(s.text for s in segments) == text  # nothing filled: text unchanged


def test_fill_named_and_numbered_together() -> None:
    text = "Hi {name}, order {{1}} arrives {day}."
    values = {"name": "Ann", "1": "#42"}
    assert tt.fill(text, values) == "Hi Ann, order #42 arrives {day}."
    segments = tt.fill_segments(text, values)
    assert segments[1] == tt.Segment("Ann", "value", "name")
    assert segments[-2] == tt.Segment("{day}", "missing", "day")


def test_declared_named_tags_and_button_placeholders() -> None:
    template = _Template(
        text="Welcome {name}!",
        tags=({"name": "name"}, _Tag("{card_number}")),
        buttons=(_Button(0, "url", "Change", "https://x.example/slot/{booking}"),),
        button_tags=({"name": "booking"},),
    )
    assert tt.text_placeholders(template) == ["name", "card_number"]
    assert tt.button_placeholders(template) == ["booking"]
    assert tt.button_titles(template, "booking") == "“Change”"
    previews = tt.button_previews(template, {"booking": "B-1"})
    assert previews[0].value == "https://x.example/slot/B-1"


@pytest.mark.parametrize(("raw", "name"), [("{name}", "name"), (" {{ day }} ", "day"), ("x", "x")])
def test_normalise_named_placeholder(raw: str, name: str) -> None:
    assert tt.normalise_placeholder(raw) == name


def test_labels_of_named_and_numbered_placeholders() -> None:
    assert tt.tag_label("card_number") == "{card_number}"
    assert tt.tag_label("1") == "{{1}}"
    assert tt.placeholder_title("card_number") == "Card number"
    assert tt.placeholder_title("name") == "Name"
    assert tt.placeholder_title("_") == "_"
    assert tt.placeholder_title("3") == "{{3}}"
    assert tt.is_named("day") and not tt.is_named("12")


def test_matching_value_label() -> None:
    values = {"Name": "Ana Horvat", "First name": "Ana", "card-number": "LC-1"}
    assert tt.matching_value_label("name", values) == "Name"
    assert tt.matching_value_label("first_name", values) == "First name"
    assert tt.matching_value_label("card_number", values) == "card-number"
    assert tt.matching_value_label("day", values) is None
    assert tt.matching_value_label("1", {"1": "x"}) is None  # numbers mean nothing
