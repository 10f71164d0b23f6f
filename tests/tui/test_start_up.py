"""Start-up: the first page is asked for before the screen is built, and the
collector held by the command's entry point is given back once rows are painted."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from inbox_helpers import fast_outbox, make_config, ready, wait_for

from sendbee_tui import startup
from sendbee_tui.api import RetryEvent, RetryPolicy, SendbeeClient
from sendbee_tui.config import Profile, Settings
from sendbee_tui.tui import app as app_module
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.inbox.early_request import EarlyRequest
from sendbee_tui.tui.widgets.status import FolderTabs

SLOW_POLLS = Settings(poll_list_seconds=600, poll_thread_seconds=600, page_size=50)


class Recorder(httpx.AsyncBaseTransport):
    """The real network transport, noting each request and whether the screen was up."""

    def __init__(self, screen_up: Callable[[], bool]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.screen_up = screen_up
        self.seen: list[tuple[str, dict[str, str], bool]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.path, dict(request.url.params), self.screen_up()))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def recording_app(server: Any, tmp_path: Path) -> tuple[SendbeeApp, Recorder]:
    holder: dict[str, SendbeeApp] = {}

    def screen_up() -> bool:
        main = holder["app"].main_screen
        return main is not None and main.is_mounted

    recorder = Recorder(screen_up)

    def client(profile: Profile, *, on_retry: Callable[[RetryEvent], object] | None = None) -> Any:
        return SendbeeClient(
            profile.api_key,
            profile.api_secret,
            profile.base_url,
            transport=recorder,
            on_retry=on_retry,
            retry_policy=RetryPolicy(max_retries=0),
        )

    app = SendbeeApp(
        make_config(server, tmp_path, settings=SLOW_POLLS),
        client_factory=client,
        outbox_factory=fast_outbox,
    )
    holder["app"] = app
    return app, recorder


async def test_first_page_travels_before_the_screen_and_is_asked_for_once(
    sandbox: Any, tmp_path: Path
) -> None:
    app, recorder = recording_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await wait_for(pilot, lambda: len(app.main_screen.query_one(FolderTabs).counts) == 4)
        first_pages = [
            up
            for path, params, up in recorder.seen
            if path == "/conversations"
            and params.get("folder") == "open"
            and params.get("page") == "1"
        ]
        # One request served both the start and the first poll, sent before the
        # main screen was mounted.
        assert first_pages == [False]
        assert {c.folder for c in app.main_screen.conv_list.rows} == {"open"}
        # The previews, held while the first rows were painted, come.
        first = app.main_screen.conv_list.rows[0]
        await wait_for(pilot, lambda: app.inbox.preview(first) is not None)


@pytest.fixture
def held_collector() -> Iterator[None]:
    assert gc.isenabled()
    startup.hold_collector()
    try:
        yield
    finally:
        startup.release_collector()
        gc.enable()
        gc.unfreeze()


async def test_held_collector_is_released_once_rows_are_painted(
    held_collector: None, sandbox: Any, tmp_path: Path
) -> None:
    app, _ = recording_app(sandbox, tmp_path)
    assert startup.collector_held() and not gc.isenabled()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await wait_for(pilot, lambda: not startup.collector_held())
        assert gc.isenabled() and gc.get_freeze_count() > 0


async def test_held_collector_is_released_when_rows_never_come(
    held_collector: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "_STARTUP_LIMIT", 0.2)
    server = type("Nowhere", (), {"api_key": "k", "api_secret": "s"})()
    config = make_config(server, tmp_path, base_url="http://127.0.0.1:9", settings=SLOW_POLLS)
    app = SendbeeApp(config, outbox_factory=fast_outbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: not startup.collector_held())
        assert gc.isenabled()


def test_release_without_hold_changes_nothing() -> None:
    assert not startup.collector_held()
    gc.disable()
    try:
        startup.release_collector()  # someone else's pause is not ours to end
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_entry_point_leaves_httpx_command_line_out() -> None:
    code = (
        "import sys\n"
        "from sendbee_tui import startup\n"
        "startup.skip_httpx_command_line()\n"
        "import httpx\n"
        "httpx.AsyncClient()\n"
        "print(sorted(m for m in ('click', 'pygments', 'httpx._main') if sys.modules.get(m)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


async def test_early_request_is_taken_once_for_the_same_key() -> None:
    early: EarlyRequest[int] = EarlyRequest()

    async def answer() -> int:
        return 7

    early.start(("open", ""), answer())
    taken = early.take(("open", ""))
    assert taken is not None and await taken == 7
    assert early.take(("open", "")) is None


async def test_early_request_for_something_else_is_cancelled() -> None:
    early: EarlyRequest[int] = EarlyRequest()
    gate = asyncio.Event()

    async def slow() -> int:
        await gate.wait()
        return 1

    early.start(("open", ""), slow())
    task = early._task
    assert early.take(("done", "")) is None
    await asyncio.sleep(0)
    assert task is not None and task.cancelled()


async def test_early_request_failure_nobody_took_is_not_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    early: EarlyRequest[int] = EarlyRequest()

    async def boom() -> int:
        raise RuntimeError("offline")

    early.start("k", boom())
    task = early._task
    assert task is not None
    await asyncio.wait([task])
    del task
    early.discard()
    gc.collect()
    assert "never retrieved" not in caplog.text


@pytest.mark.parametrize("command", ["sandbox", "serve-ssh"])
def test_servers_run_with_the_collector(
    command: str, held_collector: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The entry point holds the collector for the inbox's start; a server that runs for
    days gets it back before it starts."""
    import sendbee_tui.sandbox.cli as sandbox_cli
    import sendbee_tui.team.cli as team_cli
    from sendbee_tui import cli

    seen: list[bool] = []
    monkeypatch.setattr(sandbox_cli, "run", lambda *a, **k: seen.append(gc.isenabled()) or 0)
    monkeypatch.setattr(team_cli, "run", lambda *a, **k: seen.append(gc.isenabled()) or 0)
    assert cli.main([command], env={"SENDBEE_TUI_HOME": str(tmp_path)}) == 0
    assert seen == [True] and not startup.collector_held()


async def test_a_set_up_form_first_gives_the_collector_back_at_once(
    held_collector: None, tmp_path: Path
) -> None:
    from sendbee_tui.config import AppConfig, Paths
    from sendbee_tui.tui.screens.setup import SetupScreen

    config = AppConfig(
        paths=Paths(tmp_path / "config", tmp_path / "data"), profile=None, settings=SLOW_POLLS
    )
    app = SendbeeApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        assert not startup.collector_held() and gc.isenabled()
