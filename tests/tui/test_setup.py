"""The first-run setup screen, driven with a pilot against the real sandbox."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static

from sendbee_tui.config import Paths, Profile, load_config_file, save_profile
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.forms import FormField
from sendbee_tui.tui.screens.setup import SetupApp, SetupScreen

WRONG_SECRET = "wrong-secret-XYZW-1234"


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def field_error(screen: SetupScreen, name: str) -> str:
    row = screen.query_one(f"#field-{name}", FormField)
    return row.error or ""


def form_status(screen: SetupScreen) -> str:
    return str(screen.query_one("#form-status", Static).render())


async def fill(pilot, screen: SetupScreen, *, type_keys: bool = False, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Put values in the fields; ``type_keys`` types them key by key as a user would
    (realistic but slow, so only one test does it)."""
    for name, text in values.items():
        box = screen.query_one(f"#input-{name}", Input)
        box.focus()
        box.value = ""
        if type_keys:
            await pilot.press(*text)
        else:
            box.value = text
    await pilot.pause()


async def submit(pilot, app: SetupApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_wrong_secret_shows_error_next_to_fields_and_keeps_input(
    sandbox: SandboxServer, paths: Paths
) -> None:
    app = SetupApp(paths, base_url=sandbox.base_url)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        await fill(pilot, screen, type_keys=True, api_key=sandbox.api_key, api_secret=WRONG_SECRET)
        await submit(pilot, app)
        assert app.screen is screen  # still open
        assert "did not accept this key and secret" in field_error(screen, "api_secret")
        assert "HTTP 401" in field_error(screen, "api_secret")
        assert field_error(screen, "api_key")
        assert "Not saved" in form_status(screen)
        # what was typed is still there, ready to correct
        assert screen.query_one("#input-api_key", Input).value == sandbox.api_key
        assert screen.query_one("#input-api_secret", Input).value == WRONG_SECRET
        assert screen.query_one("#input-name", Input).value == "default"
        # the secret is never on screen
        assert WRONG_SECRET not in app.export_screenshot()
        assert not paths.config_file.exists()

        # correcting the secret and retrying works without retyping the rest
        await fill(pilot, screen, api_secret=sandbox.api_secret)
        assert field_error(screen, "api_secret") == ""  # editing clears the stale error
        await submit(pilot, app)
    assert isinstance(app.return_value, Profile)
    assert app.return_value.api_secret == sandbox.api_secret


async def test_right_credentials_save_a_private_profile(
    sandbox: SandboxServer, paths: Paths
) -> None:
    app = SetupApp(paths, name="shop", base_url=sandbox.base_url)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        assert screen.query_one("#input-name", Input).value == "shop"
        await fill(pilot, screen, api_key=sandbox.api_key, api_secret=sandbox.api_secret)
        assert sandbox.api_secret not in app.export_screenshot()
        await submit(pilot, app)
    profile = app.return_value
    assert profile == Profile("shop", sandbox.api_key, sandbox.api_secret, sandbox.base_url)
    assert app.made_default
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(paths.config_file).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(paths.config_dir).st_mode) == 0o700
    loaded = load_config_file(paths)
    assert loaded.default_profile == "shop"
    assert loaded.profiles["shop"] == profile


async def test_not_default_keeps_the_old_default(sandbox: SandboxServer, paths: Paths) -> None:
    save_profile(paths, Profile("old", "k", "s"))
    app = SetupApp(paths, base_url=sandbox.base_url)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        assert screen.query_one("#input-name", Input).value == ""  # "default" only on first run
        await fill(
            pilot, screen, name="second", api_key=sandbox.api_key, api_secret=sandbox.api_secret
        )
        screen.query_one(Checkbox).value = False
        await submit(pilot, app)
    assert isinstance(app.return_value, Profile)
    assert not app.made_default
    loaded = load_config_file(paths)
    assert loaded.default_profile == "old"
    assert set(loaded.profiles) == {"old", "second"}


async def test_connection_error_is_shown_at_the_url(paths: Paths, refused_url: str) -> None:
    app = SetupApp(paths, base_url=refused_url)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        await fill(pilot, screen, api_key="k", api_secret="some-secret-value")
        await submit(pilot, app)
        assert "Cannot connect" in field_error(screen, "base_url")
        assert "connection failed" in form_status(screen)
        assert field_error(screen, "api_secret") == ""
        assert screen.query_one("#input-api_secret", Input).value == "some-secret-value"
    assert not paths.config_file.exists()


async def test_missing_fields_are_caught_before_any_request(paths: Paths) -> None:
    app = SetupApp(paths, base_url="not a url")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        await fill(pilot, screen, name="bad name!")
        await submit(pilot, app)
        assert screen.submit_count == 0
        assert field_error(screen, "name").startswith("Use letters")
        assert "required" in field_error(screen, "api_key")
        assert "required" in field_error(screen, "api_secret")
        assert field_error(screen, "base_url")
        assert app.screen is screen


async def test_secret_is_masked_if_a_server_message_quotes_it(paths: Paths) -> None:
    """Belt and braces: even a server error echoing the secret shows it masked."""
    secret = "verysecretvalue-0042"
    app = SetupApp(paths, base_url="https://example.test")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        await fill(pilot, screen, api_key="k", api_secret=secret)
        screen.show_form_error(f"server said: bad secret {secret}")
        await pilot.pause()
        assert secret not in form_status(screen)
        assert "****0042" in form_status(screen)
        assert secret not in app.export_screenshot()


async def test_escape_cancels_after_confirming(paths: Paths) -> None:
    app = SetupApp(paths)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.setup_screen
        await fill(pilot, screen, api_key="typed")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen  # the "discard?" question
        await pilot.press("enter")  # Discard (the confirm dialog's default)
        await pilot.pause()
    assert app.return_value is None
    assert not paths.config_file.exists()
