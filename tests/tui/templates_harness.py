"""Shared pieces of the template picker/form pilot tests (real sandbox over loopback).

:class:`Host` owns a real SendbeeClient created on the app's loop and an outbox every
send goes through, as SendbeeApp does, and records what the screens dismiss with and
what their ``on_sent`` got.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any, TypeVar

import httpx
from helpers import settle, wait_until
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from sendbee_tui.api import SendbeeClient, SentMessage
from sendbee_tui.outbox import Outbox
from sendbee_tui.store import LocalStore
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.screens.templates import TemplateFormScreen, TemplatePickerScreen

TEMPLATE_SEND = "/conversations/messages/templates/send"

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


class Host(App[None]):
    """Owns ``self.client`` (a real client for ``server``) and ``self.outbox``, like
    SendbeeApp does (the outbox with short check schedules: the sandbox answers at once).

    ``transport`` wraps the real one to produce faults the server cannot (tests below).
    """

    def __init__(self, server: Any, transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__()
        self._server = server
        self._transport = transport
        self.client: SendbeeClient | None = None
        self.outbox: Outbox | None = None
        self._data = tempfile.mkdtemp(prefix="sendbee-templates-")
        self._store = LocalStore(self._data, fsync=False)
        self.results: list[Any] = []
        self.sent: list[SentMessage] = []  # what the screens' on_sent was called with

    async def on_mount(self) -> None:
        s = self._server
        self.client = SendbeeClient(
            s.api_key,
            s.api_secret,
            base_url=s.base_url,
            timeout=10,
            max_retries=0,
            transport=self._transport,
        )
        self.outbox = Outbox(
            self.client,
            self._store,
            "host",
            check_schedule=(0.0, 0.2, 0.5),
            retry_delays=(0.1, 0.3),
            poll_interval=0.05,
            clock_skew=5.0,
        )
        await self.outbox.start()

    async def on_unmount(self) -> None:
        if self.outbox is not None:
            await self.outbox.aclose(grace=0.1)
        if self.client is not None:
            await self.client.aclose()
        self._store.close()
        shutil.rmtree(self._data, ignore_errors=True)

    @property
    def api(self) -> SendbeeClient:
        """The client, once mounted."""
        assert self.client is not None
        return self.client

    def picker(self, **kwargs: Any) -> TemplatePickerScreen:
        """A picker on this app's client whose sends are recorded in ``self.sent``."""
        return TemplatePickerScreen(self.api, on_sent=self.sent.append, **kwargs)

    async def show(self, pilot: Pilot[Any], screen: ScreenT) -> ScreenT:
        await self.push_screen(screen, self.results.append)
        await settle(pilot)
        return screen


def current(app: App[Any]) -> object:
    """The screen on top, for ``is`` checks (typed ``object`` so no operand is narrowed)."""
    return app.screen


def text_of(widget: Static) -> str:
    return str(widget.render())


async def filtered(pilot: Pilot[Any], picker: TemplatePickerScreen, query: str) -> None:
    """Until the picker lists exactly the templates matching ``query``.

    The list follows the search box through messages; ``pilot.pause()`` alone can
    return before they are handled on a loaded machine, so wait for the result.
    """

    def done() -> bool:
        return picker.shown == [t for t in picker.templates if tt.template_matches(t, query)]

    await wait_until(pilot, done)


async def search_for(pilot: Pilot[Any], picker: TemplatePickerScreen, query: str) -> None:
    """Put ``query`` in the picker's search box and wait for the list to follow."""
    picker.query_one("#template-search", Input).value = query
    await filtered(pilot, picker, query)


async def open_form(
    pilot: Pilot[Any], picker: TemplatePickerScreen, query: str
) -> TemplateFormScreen:
    """Search the picker for ``query`` and press Enter on the only match."""
    await search_for(pilot, picker, query)
    assert len(picker.shown) == 1, [t.keyword for t in picker.shown]
    await pilot.press("enter")  # Enter in the search box opens the highlighted match
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TemplateFormScreen)
    return form


async def all_templates(client: SendbeeClient) -> list[Any]:
    return [t async for t in client.templates.iterate()]
