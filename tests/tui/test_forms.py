"""The shared forms toolkit: validators, FormModal behaviour and ConfirmModal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from contacts_harness import (
    current,
    error_of,
    form_status,
    settle,
    shown_error,
    type_into,
    wait_until,
)
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Select, Static, Switch, TextArea

from sendbee_tui.api import SendbeeClient, ValidationError
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import (
    ConfirmModal,
    FormField,
    FormModal,
    http_url,
    iso_date,
    non_empty_options,
    number,
    parse_options,
    phone_number,
    required,
    unique_name,
)

# ----------------------------------------------------------------------------- validators


def test_required_refuses_blank_values() -> None:
    check = required()
    empties: tuple[object, ...] = ("", "   ", None, (), [])
    for empty in empties:
        assert check(empty) == "This field is required."
    for value in ("x", 0, False, ("a",)):
        assert check(value) is None


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("0912345678", "+<country code>912345678"),
        ("091 234 5678", "+<country code>912345678"),
        ("00385912345678", "+385912345678"),
        ("385912345678", "+385912345678"),
        ("+0385912345", "never starts with 0"),
        ("+12", "8 to 15 digits"),
    ],
)
def test_phone_number_hints_the_country_code(typed: str, hint: str) -> None:
    message = phone_number(typed)
    assert message is not None
    assert hint in message


def test_phone_number_accepts_e164_and_empty() -> None:
    assert phone_number("+385912345678") is None
    assert phone_number("+1 415 555 2671") is None  # spacing is normalised by validate_phone
    assert phone_number("") is None  # optional unless required() is added
    assert phone_number("call me") is not None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/file.pdf", True),
        ("http://localhost:8000/x.png", True),
        ("http://127.0.0.1/x", True),
        ("ftp://example.com/x", False),
        ("example.com/x", False),
        ("https://exa mple.com", False),
        ("https://nohost", False),
        ("https://.com", False),
    ],
)
def test_http_url(url: str, ok: bool) -> None:
    assert (http_url(url) is None) is ok


def test_number_and_date() -> None:
    assert number("42") is None
    assert number("-3.5") is None
    assert number("twelve") is not None
    assert number("nan") is not None
    assert iso_date("2024-02-29") is None
    assert iso_date("2023-02-29") == "That day does not exist (YYYY-MM-DD)."
    assert "YYYY-MM-DD" in (iso_date("29.02.2024") or "")


def test_options_and_unique_names() -> None:
    assert parse_options(" a \n\nA\n b\n") == ["a", "b"]
    assert non_empty_options("\n  \n") is not None
    assert non_empty_options("Free\nPro") is None
    check = unique_name(["VIP", "new"], what="tag")
    assert check(" vip ") == "A tag with this name already exists."
    assert check("vip2") is None
    assert unique_name(["VIP"], current="vip")("VIP") is None  # keeping its own name


# ----------------------------------------------------------------------------- FormModal


class DemoForm(FormModal[dict[str, Any]]):
    """A form with one field of every kind, whose submit the test controls."""

    form_title = "Demo [b]form[/b]"

    def __init__(self, outcome: Any = None, gate: asyncio.Event | None = None) -> None:
        super().__init__()
        self.outcome = outcome
        self.gate = gate
        self.calls = 0

    def compose_form(self) -> ComposeResult:
        yield FormField("phone", "Phone", Input(), validators=[phone_number], required=True)
        yield FormField("count", "Count", Input(), validators=[number])
        yield FormField("on", "On", Switch())
        yield FormField("plan", "Plan", Select([("Free", "free"), ("Pro", "pro")]))
        yield FormField("notes", "Notes", TextArea())

    async def submit_form(self, values: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return values


class FormHost(App[None]):
    def __init__(self, form: FormModal[Any]) -> None:
        super().__init__()
        self.form = form
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


async def test_enter_submits_and_tab_follows_the_form() -> None:
    form = DemoForm()
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.focused is form.query_one("#input-phone")
        await pilot.press(*"+385912345678")
        await pilot.press("tab")
        assert app.focused is form.query_one("#input-count")
        await pilot.press("4", "2", "enter")
        await settle(pilot)
    assert app.results == [
        {"phone": "+385912345678", "count": "42", "on": False, "plan": None, "notes": ""}
    ]


async def test_bad_input_is_refused_next_to_the_field_and_kept() -> None:
    form = DemoForm()
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")  # everything empty
        await settle(pilot)
        assert error_of(form, "phone") == "This field is required."
        assert shown_error(form, "phone") == "This field is required."
        assert form_status(form) == "Please fix the marked fields."
        await type_into(pilot, form, "phone", "0912345678")
        await type_into(pilot, form, "count", "lots")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "country code" in error_of(form, "phone")
        assert error_of(form, "count").startswith("Enter a number")
        assert form.calls == 0  # nothing was sent
        assert app.focused is form.query_one("#input-phone")  # first bad field
        assert form.values()["phone"] == "0912345678"
        assert form.values()["count"] == "lots"
        # Editing a field takes its stale error away.
        await type_into(pilot, form, "count", "7")
        assert error_of(form, "count") == ""
        assert "country code" in error_of(form, "phone")


async def test_server_validation_error_lands_on_the_named_field() -> None:
    form = DemoForm(outcome=ValidationError(400, "count must be below 10 <[b]x[/b]>", "invalid"))
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_into(pilot, form, "phone", "+385912345678")
        await type_into(pilot, form, "count", "12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.calls == 1
        # The server's text is shown literally (markup-looking text is not parsed).
        assert shown_error(form, "count") == "count must be below 10 <[b]x[/b]>"
        assert error_of(form, "phone") == ""
        assert form_status(form) == "Sendbee rejected the marked field."
        assert form.values()["count"] == "12"
        assert current(app) is form  # still open, input kept
        assert not form.query_one("#form-submit", Button).disabled


async def test_unmatched_server_error_goes_to_the_form_line() -> None:
    form = DemoForm(outcome=ValidationError(422, "something else broke", None))
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_into(pilot, form, "phone", "+385912345678")
        await pilot.press("enter")
        await settle(pilot)
        assert form_status(form) == "Sendbee refused this (HTTP 422): something else broke"
        assert all(error_of(form, n) == "" for n in form.fields)


class ClientForm(DemoForm):
    """Submits to a real client pointed at a closed port."""

    def __init__(self, client: SendbeeClient) -> None:
        super().__init__()
        self.client = client

    async def submit_form(self, values: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        await self.client.tags.create("x")
        return values


async def test_connection_error_is_clear_and_keeps_input(refused_url: str) -> None:
    client = SendbeeClient("k", "s", base_url=refused_url, max_retries=0, timeout=3)
    form = ClientForm(client)
    app = FormHost(form)
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            await type_into(pilot, form, "phone", "+385912345678")
            await pilot.press("enter")
            await settle(pilot)
            assert form.calls == 1
            assert "Cannot reach Sendbee" in form_status(form)
            assert "Your input is kept" in form_status(form)
            assert form.values()["phone"] == "+385912345678"
            assert current(app) is form
    finally:
        await client.aclose()


async def test_submit_button_is_disabled_while_saving() -> None:
    gate = asyncio.Event()
    form = DemoForm(gate=gate)
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_into(pilot, form, "phone", "+385912345678")
        await pilot.press("enter")
        # Enter reaches the form through the Input's messages; once it has, the
        # form is busy at once (the gate keeps the submit from ever finishing).
        await wait_until(pilot, lambda: form.submit_count == 1)
        assert form.is_busy
        assert form.query_one("#form-submit", Button).disabled
        assert form_status(form) == "Saving…"
        await pilot.press("enter")  # a second Enter does not send twice
        await pilot.press("escape")  # nor does Escape close the form mid-save
        await pilot.pause()
        assert current(app) is form
        assert form_status(form) == "Still saving… wait for Sendbee's answer."
        gate.set()
        await settle(pilot)
        assert form.calls == 1
        assert len(app.results) == 1


async def test_busy_is_set_the_moment_a_submit_starts() -> None:
    """Not when the worker gets to run: a key pressed in between must find the form busy."""
    gate = asyncio.Event()
    form = DemoForm(gate=gate)
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        form.query_one("#input-phone", Input).value = "+385912345678"
        form.action_submit()
        # No await since: the worker has not started, yet everything says "saving".
        assert form.calls == 0
        assert form.is_busy and form.submit_count == 1
        assert form.query_one("#form-submit", Button).disabled
        assert form_status(form) == "Saving…"
        form.action_submit()  # a second Enter before the first request even started
        assert form.submit_count == 1
        gate.set()
        await settle(pilot)
        assert form.calls == 1
        assert len(app.results) == 1


async def test_escape_asks_only_when_something_changed() -> None:
    clean_form = DemoForm()
    app = FormHost(clean_form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]  # closed at once: nothing to lose

    form = DemoForm()
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_into(pilot, form, "phone", "+3859")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Discard your changes?" in str(app.screen.query_one("#confirm-message").render())
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert current(app) is form
        assert form.values()["phone"] == "+3859"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.results == [None]


class LongForm(FormModal[None]):
    form_title = "Long form"

    def compose_form(self) -> ComposeResult:
        for index in range(20):
            yield FormField(f"f{index}", f"Field {index}", Input(), help="A help line.")


async def test_buttons_stay_visible_at_80x24_and_the_body_scrolls() -> None:
    form = LongForm()
    app = FormHost(form)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        buttons = form.query_one("#form-buttons")
        body = form.query_one("#form-body")
        assert buttons.region.bottom <= 23  # above the footer row
        assert body.region.height >= 3
        assert body.max_scroll_y > 0  # the rest is reachable by scrolling
        form.show_form_error("one\ntwo\nthree")  # a taller status line
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#form-buttons").region.bottom <= 23
        # Tab reaches a field below the fold and scrolls it into view.
        form.query_one("#input-f19").focus()
        await pilot.pause()
        assert body.scroll_y > 0


async def test_check_form_errors_without_a_field_block_the_submit() -> None:
    class Crossed(DemoForm):
        def check_form(self, values: dict[str, Any]) -> dict[str, str]:
            return {"whole form": "Pick a plan or add a note."}

    form = Crossed()
    app = FormHost(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_into(pilot, form, "phone", "+385912345678")
        await pilot.press("enter")
        await settle(pilot)
        assert form.calls == 0
        assert form_status(form) == "Pick a plan or add a note."


# ----------------------------------------------------------------------------- ConfirmModal


class ConfirmHost(App[None]):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConfirmModal(self.message, danger=True), self.answers.append)


@pytest.mark.parametrize(
    ("key", "answer"), [("y", True), ("enter", True), ("n", False), ("escape", False)]
)
async def test_confirm_keys(key: str, answer: bool) -> None:
    app = ConfirmHost("Delete it?")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
    assert app.answers == [answer]


async def test_confirm_shows_untrusted_text_literally() -> None:
    hostile = "Delete [@click=app.quit]tag[/] \x1b]0;pwned\x07[/b]?"
    app = ConfirmHost(hostile)
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#confirm-message", Static).render())
        assert shown == "Delete [@click=app.quit]tag[/] [/b]?"
        assert app.is_running


def test_form_bindings_have_ids() -> None:
    for screen in (FormModal, ConfirmModal):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding) and binding.id


def test_describe_error_is_one_actionable_line() -> None:
    from sendbee_tui.api import APITimeoutError, RateLimitError, ServerError

    assert "did not answer in time" in describe_error(APITimeoutError("timeout"))
    assert "in 7 s" in describe_error(RateLimitError(429, "slow down", retry_after=7))
    assert "server error (HTTP 503)" in describe_error(ServerError(503, "maintenance"))
