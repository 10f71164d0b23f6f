"""Canned replies without a terminal: placeholders, search, edits (sendbee_tui.tui.snippets)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sendbee_tui.api import Contact, ConversationContact
from sendbee_tui.tui.snippets import (
    ContactValues,
    contact_values,
    fill,
    first_line,
    names_clash,
    search,
    with_snippet,
    without_snippet,
)

ANA = ContactValues(
    name="Ana Horvat",
    phone="+385911234567",
    fields={"Order id": "A-1042", "City": "Zagreb"},
)


# --------------------------------------------------------------------------- fill


def test_every_placeholder_is_filled_from_the_contact() -> None:
    filled = fill(
        "Hi {first_name}! {name}, we call {phone} about order {field:Order id} in {field:City}.",
        ANA,
    )
    assert filled.text == (
        "Hi Ana! Ana Horvat, we call +385911234567 about order A-1042 in Zagreb."
    )
    assert filled.missing == ()
    assert not any(missing for _, missing in filled.parts)


def test_a_missing_value_stays_visible_and_is_reported_once() -> None:
    filled = fill(
        "Dear {first_name}, order {field:Order id} ({field:Order id}) ships {field:Ship date}.",
        ContactValues(phone="+1555"),
    )
    assert filled.text == (
        "Dear {first_name}, order {field:Order id} ({field:Order id}) ships {field:Ship date}."
    )
    assert filled.missing == ("{first_name}", "{field:Order id}", "{field:Ship date}")
    assert [text for text, missing in filled.parts if missing] == [
        "{first_name}",
        "{field:Order id}",
        "{field:Order id}",
        "{field:Ship date}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{order} and {names} and {field} and {field:} and {field: } stay",
        "a lone { brace, a } closing one, {} and {{}}",
        "templates write {{1}} and {{name}}; {{first_name} too",
        "{name\n} is not a placeholder, nor is {field:Order\nid}",
        "set notation {1, 2, 3}",
    ],
)
def test_unknown_braces_and_literal_braces_are_left_alone(text: str) -> None:
    filled = fill(text, ANA)
    assert filled.text == text
    assert filled.missing == ()


def test_keywords_take_any_case_and_field_names_are_matched_loosely() -> None:
    filled = fill("{Name} {FIRST_NAME} {Phone} {FIELD:order  ID} {field: city }", ANA)
    assert filled.text == "Ana Horvat Ana +385911234567 A-1042 Zagreb"


def test_a_field_named_exactly_wins_over_a_loose_match() -> None:
    values = ContactValues(fields={"city": "lower", "City": "Upper"})
    assert fill("{field:City} {field:city} {field:CITY}", values).text == "Upper lower lower"


def test_untrusted_values_are_inserted_as_plain_text() -> None:
    values = ContactValues(
        name="[bold]Ana[/bold] [@click=app.quit]x[/]",
        fields={"Note": "{name} is not expanded again", "Empty": ""},
    )
    filled = fill("Hi {first_name}; {field:Note}; {field:Empty}", values)
    assert filled.text == "Hi [bold]Ana[/bold]; {name} is not expanded again; {field:Empty}"
    assert filled.missing == ("{field:Empty}",)


def test_fill_keeps_text_around_placeholders_exactly() -> None:
    text = "  leading\n\ttab {name}\n\ntrailing  \n"
    assert fill(text, ANA).text == "  leading\n\ttab Ana Horvat\n\ntrailing  \n"
    assert fill("", ANA) == ("", (), ())


def test_contact_values_prefer_the_full_contact_and_keep_field_values_as_text() -> None:
    summary = ConversationContact(name="Old Name", phone="+111")
    contact = Contact.from_dict(
        {
            "name": "Ana Horvat",
            "phone": "",
            "contact_fields": [
                {"key": "Order count", "value": 3},
                {"key": "Tags", "value": ["a", "b"]},
                {"key": "Opt-in", "value": True},
                {"key": "Blank", "value": None},
                {"key": "City", "value": "  Zagreb "},
            ],
        }
    )
    values = contact_values(summary, contact)
    assert values.name == "Ana Horvat"
    assert values.phone == "+111"  # the summary's, where the full record has none
    assert dict(values.fields) == {
        "Order count": "3",
        "Tags": "a, b",
        "Opt-in": "True",
        "City": "Zagreb",
    }
    assert contact_values(None, None) == ContactValues()
    only_summary = contact_values(SimpleNamespace(name=" Ivo ", phone=None))
    assert (only_summary.name, only_summary.first_name, only_summary.phone) == ("Ivo", "Ivo", "")


# --------------------------------------------------------------------------- search

SNIPPETS = {
    "thanks": "Thank you for your message! We'll get back to you shortly.",
    "hours": "We are open Monday to Friday, 9-17.",
    "thank you vip": "Thank you, {first_name}, as one of our best customers…",
    "returns": "You can return anything within 30 days. Shipping is free.",
    "shipping": "Orders ship within 2 days.",
}


def names(query: str) -> list[str]:
    return [m.name for m in search(SNIPPETS, query)]


def test_an_empty_query_lists_every_snippet_in_file_order() -> None:
    assert names("") == list(SNIPPETS)
    assert names("   ") == list(SNIPPETS)


def test_names_rank_above_text_and_letters_in_order_match() -> None:
    assert names("shipping")[0] == "shipping"  # the name beats the returns text
    assert names("shipping") == ["shipping", "returns"]
    assert names("tyv") == ["thank you vip"]  # letters in order
    assert names("THANK")[:2] == ["thanks", "thank you vip"]  # ties keep file order
    assert names("vip thank") == ["thank you vip"]  # every word, any order
    assert names("monday") == ["hours"]  # text only
    assert names("zzz") == []


def test_matched_name_letters_are_reported_for_highlighting() -> None:
    match = search(SNIPPETS, "tyv")[0]
    assert [match.name[i] for i in match.name_positions] == ["t", "y", "v"]
    assert search(SNIPPETS, "ours")[0].name_positions == (1, 2, 3, 4)
    # lowering "İ" makes two letters of one: no positions rather than wrong ones
    assert search({"İstanbul": "x"}, "stan")[0].name_positions == ()


def test_search_is_linear_on_long_text_and_repetitive_queries() -> None:
    # Textual's FuzzySearch tries every combination of letter positions, which never
    # finishes on text like this; the picker's search looks at each letter once.
    big = {f"s{i}": "a" * 5000 + "b" for i in range(50)}
    assert search(big, "a a a a a a a a a a a a c") == []
    assert len(search(big, "aaaaaaaaab")) == 50  # found in the text
    assert len(search(big, "s")) == 50


def test_first_line_is_the_first_non_blank_line_cut_to_width() -> None:
    assert first_line("\n  hello  \nworld") == "hello…"
    assert first_line("short") == "short"
    assert first_line("x" * 80, 10) == "x" * 9 + "…"
    assert first_line("") == ""


# --------------------------------------------------------------------------- edits


def test_adding_goes_last_and_editing_keeps_the_place_even_when_renamed() -> None:
    base = {"a": "A", "b": "B", "c": "C"}
    assert list(with_snippet(base, "d", "D").items())[-1] == ("d", "D")
    renamed = with_snippet(base, "bee", "Bee!", replacing="b")
    assert list(renamed.items()) == [("a", "A"), ("bee", "Bee!"), ("c", "C")]
    assert with_snippet(base, "b", "new", replacing="b") == {"a": "A", "b": "new", "c": "C"}
    assert base == {"a": "A", "b": "B", "c": "C"}  # never changed in place
    # editing one that vanished from the file meanwhile adds it back
    assert with_snippet(base, "z", "Z", replacing="gone") == {**base, "z": "Z"}
    with pytest.raises(ValueError, match="already exists"):
        with_snippet(base, "c", "x", replacing="a")


def test_deleting_and_name_clashes() -> None:
    base = {"thanks": "T", "Hours": "H"}
    assert without_snippet(base, "thanks") == {"Hours": "H"}
    assert without_snippet(base, "nope") == base
    assert names_clash("hours", base)
    assert names_clash("  THANKS ", base)
    assert not names_clash("hours", base, current="Hours")  # renaming to another case
    assert not names_clash("new", base)
