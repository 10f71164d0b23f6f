"""The setup screen inside the inbox app: no profile -> setup -> inbox on the new account."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textual.widgets import Input

from sendbee_tui.config import AppConfig, Paths, Settings, load_config_file
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.screens.setup import SetupScreen


async def test_app_without_profile_sets_up_then_opens_the_inbox(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    paths = Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    config = AppConfig(paths=paths, profile=None, settings=Settings(poll_list_seconds=60))
    app = SendbeeApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        values = {
            "name": "work",
            "api_key": sandbox.api_key,
            "api_secret": sandbox.api_secret,
            "base_url": sandbox.base_url,
        }
        for name, value in values.items():
            screen.query_one(f"#input-{name}", Input).value = value
        await pilot.press("ctrl+s")
        # Not app.workers.wait_for_complete(): the inbox's polling loops never finish.
        worker = screen.submit_worker
        if worker is not None:
            await worker.wait()
        for _ in range(200):
            await pilot.pause(0.02)
            if app.inbox is not None and app.inbox.rows():
                break
        assert not isinstance(app.screen, SetupScreen)
        assert app.inbox is not None and app.inbox.rows()
        assert config.profile is not None and config.profile.name == "work"
        assert sandbox.api_secret not in app.export_screenshot()
    loaded = load_config_file(paths)
    assert loaded.default_profile == "work"
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(paths.config_file).st_mode) == 0o600
