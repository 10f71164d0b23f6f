"""The setup screen inside the inbox app: no profile -> setup -> inbox on the new account."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers import wait_until
from textual.widgets import Input

from sendbee_tui.config import AppConfig, Paths, Profile, Settings, load_config_file
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
        await wait_until(pilot, lambda: app.inbox is not None and app.inbox.rows())
        assert not isinstance(app.screen, SetupScreen)
        assert app.inbox is not None and app.inbox.rows()
        assert config.profile is not None and config.profile.name == "work"
        assert sandbox.api_secret not in app.export_screenshot()
    loaded = load_config_file(paths)
    assert loaded.default_profile == "work"
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(paths.config_file).st_mode) == 0o600


async def test_demo_key_s_sets_up_an_account_and_hands_it_to_the_cli(tmp_path: Path) -> None:
    """In the demo, S opens setup; on success the app exits with the Profile, which
    cli.main() turns into a restart on the new account."""
    from sendbee_tui import cli

    paths = Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    app = cli.make_app(["--demo-simulate", "0"], env={}, paths=paths)
    demo = app.config.profile
    assert demo is not None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: app.inbox is not None and app.inbox.rows())
            await pilot.press("S")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SetupScreen)
            # the demo's own sandbox stands in for a real account
            values = {
                "name": "real",
                "api_key": demo.api_key,
                "api_secret": demo.api_secret,
                "base_url": demo.base_url,
            }
            for name, value in values.items():
                screen.query_one(f"#input-{name}", Input).value = value
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.return_value is not None or not app.is_running)
    finally:
        for callback in app.config.on_exit:
            callback()
    profile = app.return_value
    assert isinstance(profile, Profile) and profile.name == "real"
    assert load_config_file(paths).default_profile == "real"
