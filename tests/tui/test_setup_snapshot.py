"""SVG snapshots of the setup screen at 80x24: everything, buttons included, must fit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from sendbee_tui.config import Paths
from sendbee_tui.tui.screens.setup import SetupApp


def make_app(tmp_path: Path) -> SetupApp:
    return SetupApp(Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data"))


def test_setup_screen_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24))


def test_setup_screen_with_an_error_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """After a refused check: the errors under the fields, secret shown only as bullets."""

    async def refused(pilot: Any) -> None:
        app: SetupApp = pilot.app
        screen = app.setup_screen
        screen.query_one("#input-api_key", Input).value = "sandbox-key"
        screen.query_one("#input-api_secret", Input).value = "wrong-secret"
        screen.show_field_error("api_key", "Key or secret is wrong.")
        screen.show_field_error(
            "api_secret", "Sendbee did not accept this key and secret (HTTP 401)."
        )
        screen.show_form_error("Not saved: the credentials were refused.")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=refused)
