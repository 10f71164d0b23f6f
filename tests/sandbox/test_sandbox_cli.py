"""``sendbee_tui.sandbox.cli``: flags, output, clean stop."""

from __future__ import annotations

import argparse
import io
import re
import shlex
import socket
import threading
import time

import httpx
import pytest
from sandbox_support import token

from sendbee_tui.sandbox import SandboxServer, cli


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults() -> None:
    args = parse()
    assert (args.host, args.port, args.db) == ("127.0.0.1", 8800, None)
    assert (args.api_key, args.api_secret) == ("sandbox-key", "sandbox-secret")
    assert (args.simulate, args.latency_ms, args.error_rate, args.rate_limit) == (
        None,
        0,
        0.0,
        None,
    )
    assert cli.default_db_path().name == "sandbox.db"


@pytest.mark.parametrize(
    "argv",
    [
        ["--error-rate", "2"],
        ["--port", "-1"],
        ["--simulate", "0"],
        ["--error-status", "404"],
        ["--send-fault", "explode"],
        ["--send-fault-rate", "1.5"],
        ["--send-fault-next", "-1"],
    ],
)
def test_bad_flags_are_rejected(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)


def test_run_serves_prints_credentials_and_stops(tmp_path) -> None:
    args = parse(
        "--port",
        "0",
        "--db",
        str(tmp_path / "cli.db"),
        "--api-key",
        "ck",
        "--api-secret",
        "cs",
        "--contacts",
        "3",
        "--conversations",
        "5",
        "--messages-per-conversation",
        "2",
        "--error-status",
        "503",
        "--latency-ms",
        "1",
        "--rate-limit",
        "100",
        "--simulate",
        "30",
        "--send-fault",
        "hang",
        "--send-fault-rate",
        "0.5",
        "--send-fault-next",
        "2",
    )
    out = io.StringIO()
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(cli.run(args, stop=stop, out=out)))
    thread.start()
    deadline = time.monotonic() + 10
    while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    text = out.getvalue()
    url = re.search(r"listening on (http://\S+)", text).group(1)
    assert "API key:    ck" in text and "API secret: cs" in text and "cli.db" in text
    r = httpx.get(
        url + "/conversations",
        headers={"X-Api-Key": "ck", "X-Auth-Token": token("cs")},
        trust_env=False,
    )
    assert r.status_code == 200 and r.json()["meta"]["total"] == 5
    faults = httpx.get(
        url + "/_sandbox/faults",
        headers={"X-Api-Key": "ck", "X-Auth-Token": token("cs")},
        trust_env=False,
    ).json()["data"]
    assert (faults["send_fault"], faults["send_fault_rate"], faults["send_fault_next"]) == (
        "hang",
        0.5,
        2,
    )
    assert "Send fault: hang" in text
    stop.set()
    thread.join(10)
    assert result == [0] and (tmp_path / "cli.db").exists()


def test_port_in_use_is_a_clean_error(tmp_path, capsys) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        args = parse("--port", str(port), "--db", str(tmp_path / "x.db"))
        assert cli.run(args, stop=threading.Event()) == 1
        assert "cannot listen" in capsys.readouterr().err
    finally:
        busy.close()


def test_warns_about_default_secret_beyond_loopback(tmp_path) -> None:
    # 127.0.0.2 is still loopback on Linux, but not one of the names the CLI trusts.
    args = parse(
        "--host",
        "127.0.0.2",
        "--port",
        "0",
        "--db",
        str(tmp_path / "w.db"),
        "--contacts",
        "1",
        "--conversations",
        "1",
    )
    out = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=cli.run, args=(args,), kwargs={"stop": stop, "out": out})
    thread.start()
    deadline = time.monotonic() + 10
    while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join(10)
    assert "Warning: listening beyond loopback" in out.getvalue()


def test_the_printed_client_command_works_as_printed(tmp_path) -> None:
    """The hint names key and secret: ``sendbee-tui --base-url URL`` alone starts the demo."""
    from sendbee_tui.cli import parse_args
    from sendbee_tui.config import ConfigFile, Settings
    from sendbee_tui.credentials import resolve_profile

    args = parse(
        "--port", "0", "--db", str(tmp_path / "hint.db"), "--api-key", "k e y",
        "--api-secret", "s'cret", "--contacts", "2", "--conversations", "2",
    )  # fmt: skip
    out = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=cli.run, args=(args,), kwargs={"stop": stop, "out": out})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        lines = out.getvalue().splitlines()
        command = lines[lines.index("Point the inbox at it:") + 1].strip()
        argv = shlex.split(command)
        assert argv[0] == "sendbee-tui"
        parsed = parse_args(argv[1:])
        assert parsed.command is None  # the inbox, not a sub-command
        nothing_saved = ConfigFile(profiles={}, settings=Settings(), default_profile=None)
        profile = resolve_profile(parsed, env={}, config=nothing_saved)
        assert profile is not None  # None would mean: start the demo instead
        assert (profile.api_key, profile.api_secret) == ("k e y", "s'cret")
        r = httpx.get(
            profile.base_url + "/conversations",
            headers={"X-Api-Key": profile.api_key, "X-Auth-Token": token(profile.api_secret)},
            trust_env=False,
        )
        assert r.status_code == 200
    finally:
        stop.set()
        thread.join(10)


def test_client_url_of_a_wildcard_host_is_loopback() -> None:
    for host, url in (("0.0.0.0", "http://127.0.0.1:8800"), ("::", "http://[::1]:8800")):
        server = SandboxServer(host=host, port=8800)  # not started: nothing listens
        assert cli.client_url(server) == url
        server.stop()  # removes its temporary directory
