"""Hostile customer text: shown literally, never interpreted, no escape reaches the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from inbox_helpers import make_app, ready, screen_text, terminal_output, wait_for
from textual.content import Content

from sendbee_tui.tui.safe_text import clean, clean_model, literal, safe_url

HOSTILE_NAME = "[@click=app.quit]x[/]"
HOSTILE_BODIES = [
    "[@click=app.quit]quit[/]",
    "unbalanced [/] close",
    "[bold]not bold[/bold]",
    "title\x1b]0;pwned-title\x07 after",
    "link \x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\ end",
    "clear\x1b[2J screen",
    "c1 \x9b31m csi",
    "bidi \u202eevil\u202c text",
    "bell\x07 and nul\x00 and cr\r overwrite",
]
FORBIDDEN = [
    "\x1b]0;",
    "\x1b]2;pwned",
    "pwned-title",
    "evil.example",
    "\x1b[2J",
    "\x9b",
    "\u202e",
    "\x07",
    "\x00",
    "\r",
]


@pytest.mark.parametrize("text", HOSTILE_BODIES)
def test_clean_removes_control_sequences(text: str) -> None:
    cleaned = clean(text)
    for bad in ("\x1b", "\x9b", "\x07", "\x00", "\r", "\u202e", "pwned-title", "evil.example"):
        assert bad not in cleaned


def test_literal_is_never_markup() -> None:
    content = literal(HOSTILE_NAME)
    assert isinstance(content, Content)
    assert content.plain == HOSTILE_NAME
    assert not content.spans


def test_clean_model_cleans_nested_dataclasses() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Inner:
        value: str

    @dataclass(frozen=True)
    class Outer:
        name: str
        items: tuple[Inner, ...]

    out = clean_model(Outer("a\x1b[2Jb", (Inner("\x9b1mx"),)))
    assert out == Outer("ab", (Inner("x"),))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a.jpg", True),
        ("http://example.com/x?y=1", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://exa mple.com", False),
        ("https://example.com/\x1b]8;;", False),
        ("https:///nohost", False),
        ("", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


async def test_hostile_corpus_shown_literally(fresh_sandbox: Any, tmp_path: Path) -> None:
    phone = "+38591000777"
    for body in HOSTILE_BODIES:
        fresh_sandbox.inbound(phone, body, name=HOSTILE_NAME)
    fresh_sandbox.inbound(
        phone, "", name=HOSTILE_NAME, media_type="image", media_url="javascript:alert(1)"
    )
    fresh_sandbox.inbound(
        phone, "", name=HOSTILE_NAME, media_type="image", media_url="https://example.com/photo.jpg"
    )
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await wait_for(pilot, lambda: main.conv_list.rows[0].contact.phone == phone)
        # Clicking the hostile name does nothing but select the row.
        await pilot.click(main.conv_list, offset=(4, 0))
        await pilot.click(main.conv_list, offset=(4, 0), times=2)
        await wait_for(
            pilot,
            lambda: (
                main.thread.conversation_id == main.conv_list.rows[0].id and main.thread.messages
            ),
        )
        # Scrolling to the top loads the older page with the first hostile messages.
        main.thread.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: len(main.thread.messages) >= len(HOSTILE_BODIES) + 2)
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert HOSTILE_NAME in text
        for visible in (
            "[@click=app.quit]quit[/]",
            "unbalanced [/] close",
            "[bold]not bold[/bold]",
            "click me",
            "javascript:alert(1)",
        ):
            assert visible in "\n".join(main.thread.plain_lines)
        output = terminal_output(app)
        for bad in FORBIDDEN:
            assert bad not in output, repr(bad)
        assert "\x1b]8;;javascript" not in output
        # A plain https media URL is the one thing that becomes a real (OSC 8) link.
        assert "https://example.com/photo.jpg\x1b\\" in output
        # The notification path is literal too.
        app.notify_inbound(HOSTILE_NAME, "[/] boom")
        await pilot.pause()
        assert app.is_running


async def test_hostile_demo_data_renders(sandbox: Any, tmp_path: Path) -> None:
    """The demo data contains markup-like names ("Mark [/] Up"); the list must survive them."""
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.press("end", "home")
        assert app.is_running
        assert "\x1b]0;" not in terminal_output(app)
