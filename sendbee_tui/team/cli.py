"""``sendbee-tui serve-ssh``: options and the foreground run.

The main CLI (``sendbee_tui/cli.py``) adds the subcommand with
:func:`add_arguments` and calls :func:`run`.  Credentials are resolved exactly
as for the inbox (:func:`sendbee_tui.credentials.resolve_profile`: ``--api-key`` /
``--api-secret`` / ``--base-url``, then ``SENDBEE_*``, then ``--profile`` or the
default profile).  The credential options are accepted both before the
subcommand (the app's own options) and after it; the ones after it win.

Logs go to stderr (the journal, under systemd) through the same redaction
filter as the app's log file: no key, secret or token is ever written, and no
message text either (the hub logs agent, action and conversation id only).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sendbee_tui.config import (
    ENV_API_KEY,
    ENV_API_SECRET,
    ConfigError,
    Profile,
    default_paths,
)
from sendbee_tui.credentials import resolve_profile

__all__ = ["add_arguments", "parse_listen", "run"]

logger = logging.getLogger(__name__)


def _seconds(low: float, high: float) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g} seconds")
        return value

    return parse


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) -> ``(host, port)``."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]") or "0.0.0.0", int(port)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``serve-ssh`` (see docs/team-server.md)."""
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on for SSH (default 127.0.0.1; 0.0.0.0 for all)",
    )
    parser.add_argument("--port", type=_port, default=2222, help="SSH port (default 2222)")
    parser.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        help="SSH host key; created (ed25519, mode 0600) when missing "
        "(default: ssh_host_ed25519_key in the data dir)",
    )
    parser.add_argument(
        "--agents",
        type=Path,
        metavar="PATH",
        help="agents file (TOML, [[agent]] tables; default: agents.toml in "
        "the config dir); reloaded when it changes",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="server data: agents' drafts and read marks, team database "
        "(default: team-server/ in the data dir)",
    )
    parser.add_argument(
        "--team-db",
        type=Path,
        metavar="PATH",
        help="team database (claims, audit; default team.sqlite3 in --data-dir)",
    )
    parser.add_argument(
        "--webhook-listen",
        type=parse_listen,
        metavar="HOST:PORT",
        help="receive Sendbee webhooks on http://HOST:PORT/webhook",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_seconds(1, 7 * 86400),
        default=1800.0,
        metavar="SECONDS",
        help="end sessions without input for this long (default 1800)",
    )
    parser.add_argument(
        "--cache-ttl",
        type=_seconds(0.5, 60),
        default=3.0,
        metavar="SECONDS",
        help="how long the hub reuses an answer to a read (default 3)",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=50,
        metavar="N",
        help="refuse new sessions beyond N (default 50)",
    )
    creds = parser.add_argument_group("account (as for the inbox; may also precede serve-ssh)")
    creds.add_argument(
        "--profile", dest="serve_profile", metavar="NAME", help="use the saved profile NAME"
    )
    creds.add_argument(
        "--api-key", dest="serve_api_key", metavar="KEY", help=f"API key (or ${ENV_API_KEY})"
    )
    creds.add_argument(
        "--api-secret",
        dest="serve_api_secret",
        metavar="SECRET",
        help=f"API secret; visible in `ps`, prefer ${ENV_API_SECRET} or a profile",
    )
    creds.add_argument("--base-url", dest="serve_base_url", metavar="URL", help="API base URL")


def _credential_args(args: argparse.Namespace) -> SimpleNamespace:
    """The credential options, those after ``serve-ssh`` overriding those before it."""
    merged = {}
    for name in ("profile", "api_key", "api_secret", "base_url"):
        merged[name] = getattr(args, f"serve_{name}", None) or getattr(args, name, None)
    return SimpleNamespace(**merged)


def configure_logging(level: int = logging.INFO) -> logging.Handler:
    """Log to stderr with credentials redacted; asyncssh's chatter stays at warnings.

    Returns the handler so :func:`run` can take it off the root logger again.
    """
    from sendbee_tui.api.redaction import RedactionFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactionFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("sendbee_tui").setLevel(level)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    return handler


def build_config(args: argparse.Namespace, env: Mapping[str, str]) -> Any:
    """The :class:`ServerConfig` for parsed ``args`` (defaults under the app's dirs)."""
    from sendbee_tui.team.server import ServerConfig

    paths = default_paths(env)
    data_dir = getattr(args, "data_dir", None) or paths.data_dir / "team-server"
    return ServerConfig(
        agents_path=getattr(args, "agents", None) or paths.config_dir / "agents.toml",
        host_key_path=getattr(args, "host_key", None) or data_dir / "ssh_host_ed25519_key",
        data_dir=data_dir,
        host=args.host,
        port=args.port,
        team_db=getattr(args, "team_db", None),
        webhook_listen=getattr(args, "webhook_listen", None),
        idle_timeout=args.idle_timeout,
        cache_ttl=args.cache_ttl,
        max_sessions=args.max_sessions,
    )


def resolve_account(args: argparse.Namespace, env: Mapping[str, str]) -> Profile:
    """The account's credentials, resolved like the inbox's; no demo fallback here."""
    profile = resolve_profile(_credential_args(args), env, default_paths(env))
    if profile is None:
        raise ConfigError(
            "serve-ssh needs the account's credentials: set SENDBEE_API_KEY and "
            "SENDBEE_API_SECRET, or save a profile with `sendbee-tui setup`"
        )
    return profile


async def _serve(config: Any, profile: Profile, env: Mapping[str, str]) -> None:
    from sendbee_tui.team.server import TeamServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    server = TeamServer(config, profile, server_env=env)
    await server.start()
    sys.stderr.write(f"serve-ssh: listening on {config.host}:{server.ssh_port}; Ctrl+C stops\n")
    await server.serve_forever(stop)
    logger.info("serve-ssh stopped")


def run(args: argparse.Namespace, *, env: Mapping[str, str]) -> int:
    """``sendbee-tui serve-ssh``: serve until SIGINT/SIGTERM; returns the exit code."""
    from sendbee_tui.team.agents import AgentsFileError
    from sendbee_tui.team.hostkey import HostKeyError

    handler = configure_logging()
    try:
        profile = resolve_account(args, env)
        config = build_config(args, env)
        asyncio.run(_serve(config, profile, env))
    except (ConfigError, AgentsFileError, HostKeyError) as exc:
        sys.stderr.write(f"sendbee-tui serve-ssh: {exc}\n")
        return 2
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"sendbee-tui serve-ssh: {exc.strerror or exc}{where}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        logging.getLogger().removeHandler(handler)
    return 0
