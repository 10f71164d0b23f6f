"""The ``sendbee-tui`` argument parser, subcommands included (see :mod:`sendbee_tui.cli`).

Only the standard library and the config's names at module level: ``--help`` and
``--version`` answer before Textual or the sandbox is imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sendbee_tui import __version__
from sendbee_tui.config import ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL, ENV_HOME, ENV_PROFILE
from sendbee_tui.demo import DEMO_SIMULATE_SECONDS

__all__ = ["EPILOG", "build_parser", "parse_args"]

EPILOG = f"""\
credentials, highest precedence first:
  --api-key/--api-secret/--base-url, then ${ENV_API_KEY}/${ENV_API_SECRET}/${ENV_BASE_URL},
  then --profile NAME (or ${ENV_PROFILE}), then the config file's default profile.
  With none of these the demo starts (--base-url alone is an error: it names a
  server but no account). Prefer the environment or the config file
  (`sendbee-tui setup`) for the secret: command-line arguments are visible to
  other users of the machine in `ps`.

files: config.toml (profiles, mode 0600) in the platformdirs config dir, drafts and
  read marks in the data dir; ${ENV_HOME}=DIR puts both under DIR.
"""


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.5 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.5 and 3600 seconds")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def build_parser(*, sandbox_options: bool = True) -> argparse.ArgumentParser:
    """The full argument parser (subcommands included).

    ``sandbox_options=False`` leaves the options of ``sandbox`` out: declaring them
    imports the sandbox server (Starlette, uvicorn, its SQLite domain), about
    150 ms of an inbox start that never uses them.
    """
    parser = argparse.ArgumentParser(
        prog="sendbee-tui",
        description="A keyboard-driven terminal inbox for Sendbee (WhatsApp Business).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sendbee-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the demo (local sandbox with demo data) even when credentials exist",
    )
    parser.add_argument(
        "--demo-reset",
        action="store_true",
        help="throw away the demo's saved data (messages, drafts, read marks) and start afresh",
    )
    parser.add_argument(
        "--demo-simulate",
        type=_non_negative_float,
        default=DEMO_SIMULATE_SECONDS,
        metavar="SECONDS",
        help="average seconds between simulated customer messages in the demo; "
        f"0 turns them off (default {DEMO_SIMULATE_SECONDS:g})",
    )
    parser.add_argument("--profile", metavar="NAME", help="use the saved profile NAME")
    parser.add_argument("--api-key", metavar="KEY", help=f"API key (or ${ENV_API_KEY})")
    parser.add_argument(
        "--api-secret",
        metavar="SECRET",
        help=f"API secret; visible in `ps`, prefer ${ENV_API_SECRET} or a profile",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API base URL (or ${ENV_BASE_URL}; default the real service)",
    )
    parser.add_argument(
        "--poll",
        type=_positive_float,
        metavar="SECONDS",
        help="poll the conversation list and the open thread every SECONDS",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="level of the log file in the data dir (default INFO; never contains secrets)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    setup = sub.add_parser(
        "setup",
        help="enter API key and secret, check them, save a profile",
        description="Asks for a profile name, API key, API secret and base URL, checks them "
        "against the API and saves them to the config file (mode 0600).",
    )
    setup.add_argument("--profile", dest="setup_profile", metavar="NAME", help="profile name")
    setup.add_argument("--base-url", dest="setup_base_url", metavar="URL", help="API base URL")

    profiles = sub.add_parser(
        "profiles",
        help="list saved profiles (secrets masked)",
        description="Lists the saved profiles; secrets are never shown.",
    )
    which = profiles.add_mutually_exclusive_group()
    which.add_argument("--default", metavar="NAME", help="make NAME the default profile")
    which.add_argument("--remove", metavar="NAME", help="delete the profile NAME")

    sandbox = sub.add_parser(
        "sandbox",
        help="run the Sendbee-compatible sandbox server in the foreground",
        description="A Sendbee-compatible API server on SQLite, for trying things out and "
        "for tests. Prints its base URL and credentials; Ctrl+C stops it.",
    )
    if sandbox_options:
        from sendbee_tui.sandbox.cli import add_arguments

        add_arguments(sandbox)

    serve_ssh = sub.add_parser(
        "serve-ssh",
        help="serve the inbox to a team of agents over SSH (one upstream, presence, claims)",
        description="An SSH server that gives every agent in the agents file the full inbox "
        "in their own terminal, sharing one upstream connection to Sendbee; the API key and "
        "secret stay in this process. See docs/team-server.md.",
    )
    from sendbee_tui.team.cli import add_arguments as add_team_arguments

    add_team_arguments(serve_ssh)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    words = sys.argv[1:] if argv is None else list(argv)
    return build_parser(sandbox_options="sandbox" in words).parse_args(words)
