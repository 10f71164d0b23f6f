"""The command line: argument parsing, subcommands, demo mode and credential resolution."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import wait_until

from sendbee_tui import __version__, cli
from sendbee_tui.config import AppConfig, Paths, Profile, save_profile
from sendbee_tui.store import AccountState, LocalStore

SECRET = "cli-test-secret-DO-NOT-PRINT-4321"


def demo_state(paths: Paths) -> AccountState:
    """The demo's local state as a new app process opens it (a new database connection)."""
    return LocalStore(paths.data_dir).account(cli.DEMO_ACCOUNT)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {"SENDBEE_TUI_HOME": str(home)}


@pytest.fixture
def paths(home: Path) -> Paths:
    return Paths(config_dir=home / "config", data_dir=home / "data")


@pytest.fixture
def configs() -> Iterator[list[AppConfig]]:
    """Collects built configs and stops their demo sandboxes whatever happens."""
    built: list[AppConfig] = []
    yield built
    for config in built:
        for callback in config.on_exit:
            callback()


def http_get_json(url: str, key: str, secret: str) -> dict:  # type: ignore[type-arg]
    """A request with our own auth implementation: proves the demo profile works."""
    from sendbee_tui.api import SendbeeAuth

    request = urllib.request.Request(
        url, headers={"X-Api-Key": key, "X-Auth-Token": SendbeeAuth(secret).token()}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# --------------------------------------------------------------------------- parsing


def test_defaults() -> None:
    args = cli.parse_args([])
    assert args.command is None
    assert not args.demo and args.profile is None and args.poll is None
    assert args.api_key is None and args.api_secret is None and args.base_url is None
    assert args.demo_simulate == cli.DEMO_SIMULATE_SECONDS


def test_all_main_options() -> None:
    args = cli.parse_args(
        [
            "--demo",
            "--profile",
            "shop",
            "--api-key",
            "K",
            "--api-secret",
            "S",
            "--base-url",
            "http://x",
            "--poll",
            "2.5",
            "--demo-simulate",
            "0",
            "--demo-reset",
        ]
    )
    assert (args.demo, args.profile, args.api_key, args.api_secret) == (True, "shop", "K", "S")
    assert (args.base_url, args.poll, args.demo_simulate, args.demo_reset) == (
        "http://x",
        2.5,
        0.0,
        True,
    )


@pytest.mark.parametrize("bad", [["--poll", "0"], ["--poll", "x"], ["--demo-simulate", "-1"]])
def test_bad_numbers_are_rejected(bad: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.parse_args(bad)
    assert info.value.code == 2
    assert "error" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.parse_args(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sendbee-tui {__version__}"


def test_subcommands_parse() -> None:
    args = cli.parse_args(["setup", "--profile", "shop", "--base-url", "http://x"])
    assert (args.command, args.setup_profile, args.setup_base_url) == ("setup", "shop", "http://x")
    args = cli.parse_args(["profiles", "--default", "shop"])
    assert (args.command, args.default) == ("profiles", "shop")
    args = cli.parse_args(["sandbox"])
    assert args.command == "sandbox"


def test_help_warns_about_secrets_in_ps(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    out = capsys.readouterr().out
    assert "ps" in out and "SENDBEE_API_SECRET" in out


# --------------------------------------------------------------------------- profiles


def test_profiles_lists_masked(
    paths: Paths, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(paths, Profile("shop", "key-aaaa-aa-1111", SECRET))
    save_profile(paths, Profile("cafe", "key-bbbb-2222", SECRET + "x"), make_default=False)
    assert cli.main(["profiles"], env=env) == 0
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert "key-aaaa-aa-1111" not in captured.out  # keys are masked too
    lines = captured.out.splitlines()
    assert any(line.startswith("* shop") and "****1111" in line for line in lines)
    assert any(line.startswith("  cafe") for line in lines)


def test_profiles_set_default(
    paths: Paths, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(paths, Profile("shop", "k", SECRET))
    save_profile(paths, Profile("cafe", "k", SECRET), make_default=False)
    assert cli.main(["profiles", "--default", "cafe"], env=env) == 0
    assert cli.main(["profiles", "--default", "nope"], env=env) == 2
    captured = capsys.readouterr()
    assert "no profile named 'nope'" in captured.err
    assert cli.main(["profiles"], env=env) == 0
    assert "* cafe" in capsys.readouterr().out


def test_profiles_remove(
    paths: Paths, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    save_profile(paths, Profile("shop", "k", SECRET))
    save_profile(paths, Profile("cafe", "k", SECRET), make_default=False)
    assert cli.main(["profiles", "--remove", "shop"], env=env) == 0
    assert "default profile: cafe" in capsys.readouterr().out
    assert cli.main(["profiles"], env=env) == 0
    out = capsys.readouterr().out
    assert "* cafe" in out and "shop" not in out


def test_profiles_with_no_config(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["profiles"], env=env) == 0
    assert "sendbee-tui setup" in capsys.readouterr().out


def test_broken_config_is_a_clean_error(
    paths: Paths, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text(f"[profiles.shop]\napi_key = 1\napi_secret = '{SECRET}'\n")
    assert cli.main(["profiles"], env=env) == 2
    captured = capsys.readouterr()
    assert "api_key must be a string" in captured.err
    assert SECRET not in captured.err + captured.out
    assert "Traceback" not in captured.err


def test_profiles_subprocess_never_prints_the_secret(paths: Paths, home: Path) -> None:
    """The real entry point (python -m sendbee_tui), stdout and stderr together."""
    save_profile(paths, Profile("shop", "key-xyz-9999", SECRET))
    run_env = {**os.environ, "SENDBEE_TUI_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "sendbee_tui", "profiles"],
        capture_output=True,
        text=True,
        env=run_env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "shop" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_version_is_quick_and_does_not_import_textual() -> None:
    code = (
        "import sys; from sendbee_tui import cli\n"
        "try: cli.main(['--version'])\n"
        "except SystemExit: pass\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines() == [f"sendbee-tui {__version__}", "False"]


# --------------------------------------------------------------------------- app config


def test_credentials_from_env_mean_no_demo(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    env = {**env, "SENDBEE_API_KEY": "k", "SENDBEE_API_SECRET": SECRET}
    config = cli.build_app_config(cli.parse_args(["--poll", "2"]), env=env, paths=paths)
    configs.append(config)
    assert not config.demo
    assert config.profile is not None and config.profile.api_secret == SECRET
    assert config.settings.poll_list_seconds == 2.0
    assert config.settings.poll_thread_seconds == 2.0
    assert config.on_exit == []
    assert config.paths == paths


def test_saved_profile_is_used(paths: Paths, env: dict[str, str], configs: list[AppConfig]) -> None:
    save_profile(paths, Profile("shop", "k", SECRET, "https://shop.test"))
    config = cli.build_app_config(cli.parse_args([]), env=env, paths=paths)
    configs.append(config)
    assert not config.demo
    assert config.profile == Profile("shop", "k", SECRET, "https://shop.test")


def test_no_credentials_start_the_demo(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    config = cli.build_app_config(cli.parse_args(["--demo-simulate", "0"]), env=env, paths=paths)
    configs.append(config)
    assert config.demo
    profile = config.profile
    assert profile is not None and profile.name == "demo"
    assert profile.base_url.startswith("http://127.0.0.1:")
    assert any("Demo mode" in n for n in config.notices)
    body = http_get_json(
        f"{profile.base_url}/conversations?limit=5", profile.api_key, profile.api_secret
    )
    assert len(body["data"]) == 5
    assert cli.demo_db_path(paths).exists()
    # the demo's read-state baseline is set back so recent chats start unread
    state = demo_state(paths)
    assert state.baseline.timestamp() < config.clock() - cli.DEMO_UNREAD_WINDOW + 60
    # stopping is idempotent (the app and the CLI both call it)
    for callback in config.on_exit:
        callback()
        callback()
    with pytest.raises(OSError):
        http_get_json(f"{profile.base_url}/conversations", profile.api_key, profile.api_secret)


def test_demo_flag_wins_over_credentials(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    save_profile(paths, Profile("shop", "k", SECRET))
    config = cli.build_app_config(
        cli.parse_args(["--demo", "--demo-simulate", "0"]), env=env, paths=paths
    )
    configs.append(config)
    assert config.demo and config.profile is not None and config.profile.name == "demo"


def test_demo_data_persists_and_can_be_reset(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    args = cli.parse_args(["--demo", "--demo-simulate", "0"])
    first = cli.build_app_config(args, env=env, paths=paths)
    configs.append(first)
    assert first.profile is not None
    url = f"{first.profile.base_url}/_sandbox/inbound"
    from sendbee_tui.api import SendbeeAuth

    request = urllib.request.Request(
        url,
        data=json.dumps({"phone": "+385911234567", "text": "still here?"}).encode(),
        headers={
            "X-Api-Key": first.profile.api_key,
            "X-Auth-Token": SendbeeAuth(first.profile.api_secret).token(),
            "Content-Type": "application/json",
        },
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    state = demo_state(paths)
    state.set_draft("c1", "draft")
    state.close()
    for callback in first.on_exit:
        callback()

    def search(config: AppConfig) -> int:
        assert config.profile is not None
        p = config.profile
        body = http_get_json(
            f"{p.base_url}/conversations?search_query=385911234567", p.api_key, p.api_secret
        )
        return len(body["data"])

    second = cli.build_app_config(args, env=env, paths=paths)
    configs.append(second)
    assert search(second) == 1
    assert demo_state(paths).get_draft("c1") == "draft"
    for callback in second.on_exit:
        callback()

    reset = cli.build_app_config(
        cli.parse_args(["--demo", "--demo-simulate", "0", "--demo-reset"]), env=env, paths=paths
    )
    configs.append(reset)
    assert search(reset) == 0
    assert demo_state(paths).get_draft("c1") == ""


def test_make_app_rejects_subcommands(paths: Paths) -> None:
    with pytest.raises(ValueError, match="subcommand"):
        cli.make_app(["profiles"], env={}, paths=paths)


def test_bad_credentials_on_command_line_are_reported(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--api-key", "k"], env=env) == 2
    err = capsys.readouterr().err
    assert "no API secret" in err and "SENDBEE_API_SECRET" in err


def test_base_url_without_credentials_is_an_error(
    paths: Paths, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """It names a server but no account: starting the demo instead would hide that."""
    assert cli.main(["--base-url", "http://127.0.0.1:1"], env=env) == 2
    err = capsys.readouterr().err
    assert "--base-url was given but no API key and secret" in err
    assert "SENDBEE_API_SECRET" in err and "sendbee-tui setup" in err
    assert not cli.demo_db_path(paths).exists()


def test_base_url_with_demo_still_starts_the_demo(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    args = cli.parse_args(["--demo", "--demo-simulate", "0", "--base-url", "http://127.0.0.1:1"])
    config = cli.build_app_config(args, env=env, paths=paths)
    configs.append(config)
    assert config.demo and config.profile is not None and config.profile.name == "demo"


def test_logging_goes_to_a_private_file(paths: Paths) -> None:
    import logging
    import logging.handlers

    path = cli.configure_logging(paths, "INFO")
    assert path is not None
    # Only the handler configure_logging added: whatever else is on the root logger
    # (pytest's capture) is none of this test's business.
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler) and h.baseFilename == os.fspath(path)
    ]
    logging.getLogger("sendbee_tui.test").info("hello %s", "log")
    logging.getLogger("httpx").warning("headers: X-Auth-Token: %s", "MTIzNDU2Nzg5MC5hYmNk")
    handler.flush()
    text = path.read_text()
    assert "hello log" in text
    assert "MTIzNDU2Nzg5MC5hYmNk" not in text
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
        handler.doRollover()  # rolled-over files are private too
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.with_name(path.name + ".1").stat().st_mode & 0o777 == 0o600


# --------------------------------------------------------------------------- the real app


async def test_make_app_demo_reaches_the_inbox(paths: Paths, env: dict[str, str]) -> None:
    """First run: no credentials -> demo sandbox -> main screen with conversations."""
    from sendbee_tui.tui.screens.main import MainScreen

    app = cli.make_app(["--demo-simulate", "0"], env=env, paths=paths)
    try:
        assert app.config.demo and app.config.profile is not None
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: app.inbox is not None and app.inbox.rows())
            assert isinstance(app.screen, MainScreen)
            assert app.inbox is not None and app.inbox.rows()
            assert "DEMO" in app.title or "demo" in app.export_screenshot().lower()
        base_url = app.config.profile.base_url
    finally:
        for callback in app.config.on_exit:
            callback()
    # the app stopped the sandbox on exit
    with pytest.raises(OSError):
        http_get_json(f"{base_url}/conversations", "sandbox-key", "sandbox-secret")


def test_data_dir_is_private(paths: Paths, env: dict[str, str], configs: list[AppConfig]) -> None:
    env = {**env, "SENDBEE_API_KEY": "k", "SENDBEE_API_SECRET": SECRET}
    configs.append(cli.build_app_config(cli.parse_args([]), env=env, paths=paths))
    if os.name == "posix":
        assert paths.data_dir.stat().st_mode & 0o777 == 0o700


def test_main_restarts_on_the_profile_the_app_hands_back(
    paths: Paths, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the setup screen inside the demo, the app exits with the new Profile and
    main() starts the inbox again on it (demo sandbox stopped in between)."""
    import sendbee_tui.tui.app as app_module

    saved = Profile("shop", "k", SECRET, "https://shop.test")
    runs: list[AppConfig] = []

    class FakeApp:
        def __init__(self, config: AppConfig) -> None:
            self.config = config
            self.return_code: int | None = 0

        def run(self) -> Profile | None:
            runs.append(self.config)
            return saved if len(runs) == 1 else None

    monkeypatch.setattr(app_module, "SendbeeApp", FakeApp)
    stopped: list[str] = []
    real_start_demo = cli.start_demo

    def start_demo(*a: object, **k: object) -> tuple[object, Profile]:
        server, profile = real_start_demo(*a, **k)  # type: ignore[arg-type]

        class Stopper:
            def stop(self) -> None:
                stopped.append(profile.base_url)
                server.stop()

        return Stopper(), profile

    monkeypatch.setattr(cli, "start_demo", start_demo)
    assert cli.main(["--demo-simulate", "0"], env=env) == 0
    assert [c.demo for c in runs] == [True, False]
    assert runs[1].profile == saved
    assert len(stopped) == 1


def test_saved_demo_is_moved_to_now_with_its_read_marks(paths: Paths) -> None:
    """A demo saved yesterday comes back current: windows alive, read chats still read."""
    from datetime import datetime, timezone

    day = 86400.0
    server, profile = cli.start_demo(paths, simulate=None, clock=lambda: time.time() - day)
    try:
        body = http_get_json(
            f"{profile.base_url}/conversations?limit=1", profile.api_key, profile.api_secret
        )
    finally:
        server.stop()
    conv = body["data"][0]

    def inbound_at(conversation: dict) -> datetime:  # type: ignore[type-arg]
        text = conversation["last_message"]["inbound_sent_at"]
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)

    old_inbound = inbound_at(conv)
    with demo_state(paths) as state:
        state.mark_read(conv["id"], old_inbound)

    server, profile = cli.start_demo(paths, simulate=None)
    try:
        body = http_get_json(
            f"{profile.base_url}/conversation?conversation_id={conv['id']}",
            profile.api_key,
            profile.api_secret,
        )
    finally:
        server.stop()
    data = body["data"][0] if isinstance(body["data"], list) else body["data"]
    new_inbound = inbound_at(data)
    assert (new_inbound - old_inbound).total_seconds() > day * 0.9
    state = demo_state(paths)
    assert not state.is_unread(conv["id"], new_inbound)


def test_sandbox_subcommand_serves_and_stops_on_sigterm(home: Path) -> None:
    run_env = {**os.environ, "SENDBEE_TUI_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sendbee_tui", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=run_env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Sendbee sandbox listening on http://127.0.0.1:"), first
        base_url = first.split()[-1]
        body = http_get_json(f"{base_url}/conversations?limit=2", "sandbox-key", "sandbox-secret")
        assert len(body["data"]) == 2
        # the database honours SENDBEE_TUI_HOME
        assert (home / "data" / "sandbox.db").exists()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert proc.returncode == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["setup", "--profile", "shop", "--base-url", "http://127.0.0.1:1"],
        ["--profile", "shop", "--base-url", "http://127.0.0.1:1", "setup"],
    ],
)
def test_setup_subcommand_reports_without_the_secret(
    argv: list[str],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The screen itself is tested with a pilot (tests/tui/test_setup.py); here, the wiring."""
    import sendbee_tui.tui.screens.setup as setup_module

    seen: dict[str, object] = {}

    class FakeSetupApp:
        def __init__(self, paths: Paths, *, name: str | None, base_url: str | None) -> None:
            seen.update(paths=paths, name=name, base_url=base_url)
            self.made_default = False

        def run(self) -> Profile:
            return Profile("shop", "key-0000-abcd-9876", SECRET, "http://127.0.0.1:1")

    monkeypatch.setattr(setup_module, "SetupApp", FakeSetupApp)
    assert cli.main(argv, env=env) == 0
    assert seen["name"] == "shop" and seen["base_url"] == "http://127.0.0.1:1"
    out = capsys.readouterr().out
    assert "saved profile 'shop'" in out and "****9876" in out
    assert "sendbee-tui --profile shop" in out  # not the default: say how to use it
    assert SECRET not in out and "key-0000-abcd-9876" not in out


def test_setup_subcommand_cancelled(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sendbee_tui.tui.screens.setup as setup_module

    class CancelledSetupApp:
        made_default = True

        def __init__(self, *a: object, **k: object) -> None:
            pass

        def run(self) -> None:
            return None

    monkeypatch.setattr(setup_module, "SetupApp", CancelledSetupApp)
    assert cli.main(["setup"], env=env) == 1
    assert "nothing saved" in capsys.readouterr().out


def test_env_overriding_profile_is_noticed(
    paths: Paths, env: dict[str, str], configs: list[AppConfig]
) -> None:
    save_profile(paths, Profile("shop", "k", SECRET))
    env = {**env, "SENDBEE_API_KEY": "other", "SENDBEE_API_SECRET": "other-secret"}
    config = cli.build_app_config(cli.parse_args(["--profile", "shop"]), env=env, paths=paths)
    configs.append(config)
    assert config.profile is not None and config.profile.api_key == "other"
    assert any("--profile shop is overridden" in n and "environment" in n for n in config.notices)
    assert not any("other-secret" in n for n in config.notices)


# Root (as in CI) may write anywhere, so a read-only directory cannot fail for it; the same
# clean-error path is exercised as root by test_data_dir_that_is_a_file_is_a_clean_error.
@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root ignores file modes; the file-instead-of-directory test covers this path",
)
def test_unwritable_data_dir_is_a_clean_error(
    home: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir()
    home.chmod(0o500)
    try:
        assert cli.main(["--demo"], env=env) == 1
    finally:
        home.chmod(0o700)
    err = capsys.readouterr().err
    assert "Permission denied" in err and "Traceback" not in err


def test_data_dir_that_is_a_file_is_a_clean_error(
    home: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir()
    (home / "data").write_text("not a directory")
    assert cli.main(["--demo"], env=env) == 1
    err = capsys.readouterr().err
    assert "sendbee-tui:" in err and "Traceback" not in err
