"""``serve-ssh`` options and credentials, resolved like the inbox's."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sendbee_tui.config import ConfigError, Profile, save_profile
from sendbee_tui.team.cli import add_arguments, build_config, parse_listen, resolve_account


def _parser() -> argparse.ArgumentParser:
    """Shaped like the main CLI: the app's credential options, then the subcommand."""
    parser = argparse.ArgumentParser(prog="sendbee-tui")
    parser.add_argument("--profile")
    parser.add_argument("--api-key")
    parser.add_argument("--api-secret")
    parser.add_argument("--base-url")
    sub = parser.add_subparsers(dest="command")
    add_arguments(sub.add_parser("serve-ssh"))
    return parser


def test_defaults_live_under_the_apps_directories(tmp_path: Path) -> None:
    env = {"SENDBEE_TUI_HOME": str(tmp_path)}
    config = build_config(_parser().parse_args(["serve-ssh"]), env)
    assert config.agents_path == tmp_path / "config" / "agents.toml"
    assert config.data_dir == tmp_path / "data" / "team-server"
    assert config.host_key_path == config.data_dir / "ssh_host_ed25519_key"
    assert config.db_path == config.data_dir / "team.sqlite3"
    assert (config.host, config.port, config.idle_timeout) == ("127.0.0.1", 2222, 1800.0)
    assert config.webhook_listen is None


def test_options_are_parsed(tmp_path: Path) -> None:
    args = _parser().parse_args(
        [
            "serve-ssh",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--host-key",
            str(tmp_path / "k"),
            "--agents",
            str(tmp_path / "a.toml"),
            "--webhook-listen",
            "127.0.0.1:8099",
            "--idle-timeout",
            "600",
            "--team-db",
            str(tmp_path / "t.db"),
        ]
    )
    config = build_config(args, {"SENDBEE_TUI_HOME": str(tmp_path)})
    assert config.webhook_listen == ("127.0.0.1", 8099)
    assert (config.port, config.idle_timeout, config.db_path) == (0, 600.0, tmp_path / "t.db")
    assert parse_listen("[::1]:80") == ("::1", 80)
    assert parse_listen(":9000") == ("0.0.0.0", 9000)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_listen("localhost")


def test_credentials_come_from_the_same_places_as_the_inbox(tmp_path: Path) -> None:
    home = {"SENDBEE_TUI_HOME": str(tmp_path)}
    with pytest.raises(ConfigError, match="needs the account's credentials"):
        resolve_account(_parser().parse_args(["serve-ssh"]), home)

    env = {**home, "SENDBEE_API_KEY": "k-env", "SENDBEE_API_SECRET": "s-env"}
    profile = resolve_account(_parser().parse_args(["serve-ssh"]), env)
    assert (profile.api_key, profile.api_secret) == ("k-env", "s-env")

    from sendbee_tui.config import default_paths

    save_profile(default_paths(home), Profile("shop", "k-shop", "s-shop", "http://127.0.0.1:9"))
    assert resolve_account(_parser().parse_args(["serve-ssh"]), home).name == "shop"
    # Before or after the subcommand, both work; after it wins.
    before = _parser().parse_args(["--api-key", "k1", "--api-secret", "s1", "serve-ssh"])
    assert resolve_account(before, home).api_key == "k1"
    both = _parser().parse_args(
        ["--api-key", "k1", "--api-secret", "s1", "serve-ssh", "--api-key", "k2"]
    )
    assert resolve_account(both, home).api_key == "k2"
    with pytest.raises(ConfigError, match="no profile named"):
        resolve_account(_parser().parse_args(["serve-ssh", "--profile", "nope"]), home)


def test_the_team_server_loads_no_textual_tui_or_sandbox() -> None:
    """Checked in a fresh interpreter: the server process stays small (the app is a subprocess)."""
    import subprocess
    import sys

    code = (
        "import sys, sendbee_tui.team.server, sendbee_tui.team.cli; "
        "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert not [
        m
        for m in out
        if m.split(".")[0] == "textual" or m.startswith(("sendbee_tui.tui", "sendbee_tui.sandbox"))
    ]


def test_serve_ssh_runs_in_the_foreground_and_stops_on_sigterm(
    sandbox, agents_file: Path, tmp_path: Path
) -> None:
    """The real entry point in its own process: starts, logs no secret, SIGTERM stops it (0)."""
    import os
    import signal
    import subprocess
    import sys

    code = (
        "import argparse, os, sys\n"
        "from sendbee_tui.team.cli import add_arguments, run\n"
        "p = argparse.ArgumentParser(); add_arguments(p)\n"
        "sys.exit(run(p.parse_args(sys.argv[1:]), env=os.environ))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "SENDBEE_TUI_HOME": str(tmp_path / "home"),
        "SENDBEE_API_KEY": sandbox.api_key,
        "SENDBEE_API_SECRET": sandbox.api_secret,
        "SENDBEE_BASE_URL": sandbox.base_url,
    }
    args = ["--port", "0", "--agents", str(agents_file), "--webhook-listen", "127.0.0.1:0"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = []
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "Ctrl+C stops" in line:
                break
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = "".join(lines) + rest
    assert proc.returncode == 0, log
    assert "2 agent(s)" in log and "generated a new host key" in log
    assert sandbox.api_key not in log and sandbox.api_secret not in log
    host_key = tmp_path / "home" / "data" / "team-server" / "ssh_host_ed25519_key"
    assert host_key.stat().st_mode & 0o777 == 0o600


def test_a_broken_agents_file_stops_the_start_with_the_line(
    sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sendbee_tui.team.cli import run

    agents = tmp_path / "agents.toml"
    agents.write_text('[[agent]]\nname = "Ana"\nmember_id = \n')
    env = {"SENDBEE_TUI_HOME": str(tmp_path), "SENDBEE_API_KEY": "k", "SENDBEE_API_SECRET": "s"}
    args = _parser().parse_args(["serve-ssh", "--port", "0", "--agents", str(agents)])
    assert run(args, env=env) == 2
    assert "line 3" in capsys.readouterr().err
