"""Test harness for the contacts, tags and fields screens and the forms.

:class:`ScreenHost` is a tiny app that owns a real :class:`SendbeeClient`, created
on the app's own loop and pointed at a sandbox, and shows one screen built with
that client, the way ``SendbeeApp`` opens its screens.  ``settle`` and
``wait_until`` are the suite's (``helpers``), re-exported for the tests here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import helpers
from helpers import settle as settle  # re-exported for the tests of these screens
from helpers import wait_until
from textual.app import App
from textual.command import CommandList
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.forms import FormField, FormModal


def offline_client() -> SendbeeClient:
    """A client for tests that build a screen without running it (it is never used)."""
    return SendbeeClient("test", "test", base_url="http://127.0.0.1:9")


def screenshots_script() -> ModuleType:
    """``screenshots/make_screenshots.py``, loaded by path (it is a script, not a package)."""
    name = "make_screenshots"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[2] / "screenshots" / "make_screenshots.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class ScreenHost(helpers.ScreenHost):
    """Hosts ``make_screen(client)`` (see ``helpers.ScreenHost``) and records the
    conversations the contacts screen asks to open."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        make_screen: Callable[[SendbeeClient], Screen[Any]],
    ) -> None:
        super().__init__(base_url, api_key, api_secret, make_screen)
        self.opened: list[Any] = []  # ContactsScreen.OpenConversation messages

    def on_contacts_screen_open_conversation(self, message: Any) -> None:
        self.opened.append(message)


def current(app: App[Any]) -> object:
    """The screen on top, for ``is`` checks.

    A call typed ``object``, so the type checker neither assumes an earlier
    ``isinstance`` on ``app.screen`` still holds nor narrows the other operand.
    """
    return app.screen


def focused(app: App[Any]) -> object:
    """The focused widget, for ``is`` checks (see :func:`current`)."""
    return app.focused


def host(server: Any, make_screen: Callable[[SendbeeClient], Screen[Any]]) -> ScreenHost:
    """A :class:`ScreenHost` for a running ``SandboxServer``."""
    return ScreenHost(server.base_url, server.api_key, server.api_secret, make_screen)


def error_of(form: FormModal[Any], name: str) -> str:
    """The error line shown under field ``name`` ("" when none)."""
    row = form.query_one(f"#field-{name}", FormField)
    return row.error or ""


def shown_error(form: FormModal[Any], name: str) -> str:
    """The text actually rendered in the field's error line."""
    row = form.query_one(f"#field-{name}", FormField)
    line = row.query_one(".form-error", Static)
    return str(line.render()) if line.display else ""


def form_status(form: FormModal[Any]) -> str:
    """The form-level message line."""
    line = form.query_one("#form-status", Static)
    return str(line.render()) if line.display else ""


async def type_into(pilot: Pilot[Any], form: Screen[Any], name: str, text: str) -> None:
    """Focus field ``name``'s Input, clear it and type ``text`` key by key."""
    box = form.query_one(f"#input-{name}", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*text)
    await pilot.pause()


async def wait_for_palette(pilot: Pilot[Any], timeout: float = 20.0) -> None:
    """Let the command palette finish its (background) search: until it lists a match."""
    await wait_until(
        pilot, lambda: bool(pilot.app.screen.query_one(CommandList).option_count), timeout
    )
