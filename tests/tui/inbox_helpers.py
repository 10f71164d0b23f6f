"""Shared helpers for the inbox Pilot tests (real sandbox over loopback)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from helpers import wait_for as wait_for  # re-exported: the inbox tests import it from here

from sendbee_tui.api import RetryEvent, RetryPolicy, SendbeeClient
from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.outbox import Outbox, WindowCheck
from sendbee_tui.store import LocalStore
from sendbee_tui.tui.app import SendbeeApp

FAST = Settings(poll_list_seconds=0.2, poll_thread_seconds=0.2, page_size=50)


def make_config(
    server: Any,
    tmp_path: Path,
    *,
    settings: Settings = FAST,
    clock: Callable[[], float] = time.time,
    demo: bool = True,
    base_url: str | None = None,
) -> AppConfig:
    return AppConfig(
        paths=Paths(tmp_path / "config", tmp_path / "data"),
        profile=Profile("test", server.api_key, server.api_secret, base_url or server.base_url),
        settings=settings,
        demo=demo,
        clock=clock,
    )


def fast_client(
    profile: Profile,
    *,
    on_retry: Callable[[RetryEvent], object] | None = None,
    timeout: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SendbeeClient:
    """A real SendbeeClient with short retry delays, so offline tests stay quick;
    ``transport`` (a fault or a gate in front of the real one) where a test needs it."""
    return SendbeeClient(
        profile.api_key,
        profile.api_secret,
        profile.base_url,
        timeout=timeout,
        transport=transport,
        on_retry=on_retry,
        retry_policy=RetryPolicy(max_retries=1, base_delay=0.05, max_delay=0.1),
    )


def fast_outbox(
    client: SendbeeClient, store: LocalStore, account: str, *, window_open: WindowCheck
) -> Outbox:
    """The app's outbox with short check and retry schedules (the sandbox answers at once)."""
    return Outbox(
        client,
        store,
        account,
        window_open=window_open,
        check_schedule=(0.0, 0.2, 0.5),
        retry_delays=(0.1, 0.3),
        poll_interval=0.1,
        clock_skew=5.0,
    )


def make_app(server: Any, tmp_path: Path, **kwargs: Any) -> SendbeeApp:
    return SendbeeApp(
        make_config(server, tmp_path, **kwargs),
        client_factory=fast_client,
        outbox_factory=fast_outbox,
    )


def terminal_output(app: SendbeeApp) -> str:
    """The exact bytes a full repaint of the current screen sends to the terminal."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


_CURSOR_MOVE = re.compile(r"\x1b\[\d+;\d+H")
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


def screen_text(app: SendbeeApp) -> str:
    """Plain text of the current screen, one line per terminal row."""
    out = terminal_output(app)
    out = _OSC8.sub("", out)
    out = _CURSOR_MOVE.sub("\n", out)
    return _SGR.sub("", out)


def ready(app: SendbeeApp) -> bool:
    main = app.main_screen
    return main is not None and app.inbox is not None and bool(main.conv_list.rows)


def find_conv(app: SendbeeApp, predicate: Callable[[Any], bool]) -> Any:
    for conv in app.main_screen.conv_list.rows:
        if predicate(conv):
            return conv
    raise AssertionError("no conversation matches")
