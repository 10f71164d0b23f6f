"""The layers point one way: cli -> tui -> api, cli -> sandbox.

Each check runs in a fresh interpreter so that modules imported by other tests
cannot hide a bad import.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", ["sendbee_tui.api", "sendbee_tui.sandbox"])
def test_core_packages_do_not_import_textual(module: str) -> None:
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_sandbox_does_not_import_the_client() -> None:
    loaded = _modules_after_import("sendbee_tui.sandbox")
    assert not {m for m in loaded if m.startswith("sendbee_tui.api")}


def test_api_does_not_import_the_sandbox() -> None:
    loaded = _modules_after_import("sendbee_tui.api")
    assert not {m for m in loaded if m.startswith("sendbee_tui.sandbox")}


def test_tui_does_not_import_the_sandbox() -> None:
    """The app talks to any Sendbee server through the client; only the CLI starts the sandbox."""
    loaded = _modules_after_import("sendbee_tui.tui.app")
    assert not {m for m in loaded if m.startswith("sendbee_tui.sandbox")}
