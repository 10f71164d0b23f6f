"""``sendbee-tui sandbox``: run the Sendbee-compatible sandbox in the foreground.

``sendbee_tui/cli.py`` owns the top-level parser and calls :func:`add_arguments`
on its ``sandbox`` sub-parser and :func:`run` with the parsed namespace.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

from sendbee_tui.sandbox.server import (
    DEFAULT_API_KEY,
    DEFAULT_API_SECRET,
    DEFAULT_SEED,
    SandboxServer,
)
from sendbee_tui.sandbox.web.faults import SEND_FAULT_MODES

DEFAULT_PORT = 8800


def default_db_path() -> Path:
    """``sandbox.db`` in the user data directory, so the sandbox's data survives restarts."""
    import platformdirs

    return platformdirs.user_data_path("sendbee-tui", appauthor=False) / "sandbox.db"


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _error_status(text: str) -> int:
    value = int(text)
    if not 500 <= value <= 599:
        raise argparse.ArgumentTypeError("must be between 500 and 599")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox's flags to ``parser`` (the ``sandbox`` sub-command)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument(
        "--port",
        type=_non_negative_int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file (default: sandbox.db in the user data directory);"
        " created with demo data when new",
    )
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="accepted X-Api-Key")
    parser.add_argument(
        "--api-secret", default=DEFAULT_API_SECRET, help="secret that signs X-Auth-Token"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="demo data seed")
    parser.add_argument(
        "--contacts",
        type=_non_negative_int,
        default=40,
        help="demo contacts (at least one per conversation)",
    )
    parser.add_argument(
        "--conversations", type=_non_negative_int, default=60, help="demo conversations"
    )
    parser.add_argument(
        "--messages-per-conversation",
        type=_non_negative_int,
        default=50,
        help="average demo messages per conversation",
    )
    parser.add_argument(
        "--big-thread-messages",
        type=_non_negative_int,
        default=0,
        help="give the first conversation exactly this many messages (benchmarks)",
    )
    parser.add_argument(
        "--simulate",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="customers write in about every SECONDS seconds",
    )
    parser.add_argument(
        "--latency-ms", type=_non_negative_int, default=0, help="added latency per API request"
    )
    parser.add_argument(
        "--error-rate",
        type=_rate,
        default=0.0,
        help="fraction of API requests answered with an injected 500",
    )
    parser.add_argument(
        "--error-status",
        type=_error_status,
        default=500,
        help="HTTP status of injected errors (500-599; 503 exercises client retries)",
    )
    parser.add_argument(
        "--send-fault",
        choices=SEND_FAULT_MODES,
        default=None,
        help="what happens to a committed send that is hit: 'drop' closes the connection"
        " without a response, 'hang' holds the response until the client gives up",
    )
    parser.add_argument(
        "--send-fault-rate",
        type=_rate,
        default=0.0,
        help="fraction of committed sends hit by --send-fault",
    )
    parser.add_argument(
        "--send-fault-next",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="the next N committed sends are hit by --send-fault (then --send-fault-rate)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_non_negative_int,
        default=None,
        metavar="N_PER_MINUTE",
        help="requests per minute before 429",
    )


def client_url(server: SandboxServer) -> str:
    """The base URL a client on this machine uses (a wildcard host is not an address)."""
    if server.host in ("0.0.0.0", ""):
        return f"http://127.0.0.1:{server.port}"
    if server.host == "::":
        return f"http://[::1]:{server.port}"
    return server.base_url


def client_command(server: SandboxServer) -> str:
    """A ``sendbee-tui`` command line that opens the inbox on this sandbox, as printed.

    It names the key and secret: without them ``sendbee-tui`` would not use the
    base URL but start its own demo. Quoted for a POSIX shell.
    """
    return shlex.join(
        [
            "sendbee-tui",
            "--api-key",
            server.api_key,
            "--api-secret",
            server.api_secret,
            "--base-url",
            client_url(server),
        ]
    )


def _console_log() -> logging.Handler | None:
    """Show the sandbox's own INFO lines (faults, webhook failures) on stderr while it runs."""
    logger = logging.getLogger("sendbee_tui.sandbox")
    if logger.handlers:
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def run(
    args: argparse.Namespace, *, stop: threading.Event | None = None, out: TextIO | None = None
) -> int:
    """Serve until Ctrl+C (or SIGTERM, or ``stop`` is set); return the exit code."""
    out = out or sys.stdout
    db = Path(args.db) if args.db is not None else default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    existed = db.exists()
    server = SandboxServer(
        db,
        api_key=args.api_key,
        api_secret=args.api_secret,
        host=args.host,
        port=args.port,
        seed=args.seed,
        contacts=args.contacts,
        conversations=args.conversations,
        messages_per_conversation=args.messages_per_conversation,
        big_thread_messages=args.big_thread_messages,
        simulate=args.simulate,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        error_status=args.error_status,
        rate_limit_per_minute=args.rate_limit or None,
        send_fault=args.send_fault,
        send_fault_rate=args.send_fault_rate,
        send_fault_next=args.send_fault_next,
    )
    try:
        server.start()
    except OSError as exc:
        print(
            f"sendbee-tui sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    stop = stop or threading.Event()
    console = _console_log()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"Sendbee sandbox listening on {server.base_url}", file=out)
        print(f"  API key:    {server.api_key}", file=out)
        print(f"  API secret: {server.api_secret}   (sandbox-only credentials)", file=out)
        print(f"  Database:   {db}{'' if existed else ' (new, demo data)'}", file=out)
        if args.host not in ("127.0.0.1", "::1", "localhost") and (
            args.api_secret == DEFAULT_API_SECRET
        ):
            print(
                "  Warning: listening beyond loopback with the public default secret;"
                " pass --api-key/--api-secret",
                file=out,
            )
        if args.simulate:
            print(f"  Simulating customers about every {args.simulate:g} s", file=out)
        if args.send_fault:
            print(
                f"  Send fault: {args.send_fault} for the next {args.send_fault_next} sends,"
                f" then for {args.send_fault_rate:.0%} of them",
                file=out,
            )
        print("Point the inbox at it:", file=out)
        print(f"  {client_command(server)}", file=out)
        print("Ctrl+C stops it.", file=out)
        out.flush()
        try:
            while not stop.wait(0.2):
                pass
        except KeyboardInterrupt:
            print("\nStopping…", file=out)
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if console is not None:
            logging.getLogger("sendbee_tui.sandbox").removeHandler(console)
            logging.getLogger("sendbee_tui.sandbox").setLevel(logging.NOTSET)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m sendbee_tui.sandbox.cli``."""
    parser = argparse.ArgumentParser(
        prog="sendbee-tui sandbox", description="Run the Sendbee-compatible sandbox server."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
