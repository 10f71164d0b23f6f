"""The ``sendbee-tui`` command: resolve configuration, start the inbox (or demo), subcommands.

* ``sendbee-tui`` — the inbox for the configured account, or the demo when no
  credentials are known anywhere (first run).
* ``sendbee-tui --demo`` — the demo, always: an in-process sandbox on a loopback
  port with demo data and simulated customers writing in.
* ``sendbee-tui setup`` — the first-run setup screen on its own: asks for key and
  secret, checks them against the API, saves a profile (mode 0600).
* ``sendbee-tui profiles`` — list saved profiles (secrets masked), pick the default.
* ``sendbee-tui sandbox ...`` — the sandbox server in the foreground.
* ``sendbee-tui serve-ssh ...`` — the team inbox over SSH (``sendbee_tui.team``).

Textual and the sandbox are imported lazily so that ``--version``, ``--help``
and ``profiles`` answer instantly.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import logging.handlers
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendbee_tui import __version__
from sendbee_tui.config import (
    ENV_API_KEY,
    ENV_API_SECRET,
    ENV_BASE_URL,
    ENV_HOME,
    ENV_PROFILE,
    AppConfig,
    ConfigError,
    Paths,
    Profile,
    default_paths,
    ensure_private_dir,
    legacy_state_path,
    load_config_file,
    mask_secret,
    remove_profile,
    write_default_profile,
)
from sendbee_tui.credentials import resolve_profile
from sendbee_tui.exit_signals import ExitGuard, Terminated
from sendbee_tui.team_mode import team_session

if TYPE_CHECKING:
    from sendbee_tui.tui.app import SendbeeApp

logger = logging.getLogger(__name__)

#: Seconds between simulated customer messages in the demo (on average).
DEMO_SIMULATE_SECONDS = 15.0
#: In a brand-new demo, conversations with customer messages from the last
#: this-many seconds start out unread, so the unread marks are visible at once.
DEMO_UNREAD_WINDOW = 3 * 3600.0
#: The demo's local state is filed under this account key (its port changes every run).
DEMO_ACCOUNT = "demo"

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


# --------------------------------------------------------------------------- demo


def _once(callback: Callable[[], None]) -> Callable[[], None]:
    """Wrap ``callback`` so that calling it twice (app and CLI both clean up) is harmless."""
    lock = threading.Lock()
    done = False

    def run_once() -> None:
        nonlocal done
        with lock:
            if done:
                return
            done = True
        callback()

    return run_once


def demo_db_path(paths: Paths) -> Path:
    return paths.data_dir / "demo" / "sandbox.sqlite3"


def start_demo(
    paths: Paths,
    *,
    simulate: float | None,
    reset: bool = False,
    clock: Callable[[], float] = time.time,
) -> tuple[Any, Profile]:
    """Start the demo sandbox in-process; returns ``(server, profile)``.

    The demo database lives in the data dir, so what the user does in the demo
    (sent messages, drafts, read marks) is still there next time; ``reset``
    starts over.  A new database gets demo data relative to "now"; a saved one
    is shifted in time so that its latest activity was a minute ago (24-hour
    windows stay alive), and the demo's read marks are shifted by the same
    amount so that read conversations stay read.  ``clock`` is the sandbox's
    data clock (tests age a demo by starting it "yesterday").
    """
    from sendbee_tui.sandbox import SandboxServer
    from sendbee_tui.store import LocalStore

    db = demo_db_path(paths)
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with LocalStore(paths.data_dir) as local:
            local.forget_account(DEMO_ACCOUNT)
        legacy_state_path(paths, "demo").unlink(missing_ok=True)
    ensure_private_dir(db.parent)
    fresh = not db.exists()
    server = SandboxServer(
        db_path=db, simulate=simulate or None, clock=clock, rebase_time=not fresh
    )
    server.start()
    # A new account's baseline is "now": seed the demo's earlier, so that its
    # recent customer messages start out unread.  (An existing account keeps
    # its baseline: the store's clock only dates rows created here.)
    seeded_now = clock() - DEMO_UNREAD_WINDOW
    with LocalStore(paths.data_dir, clock=(lambda: seeded_now) if fresh else time.time) as local:
        state = local.account(DEMO_ACCOUNT)
        # Before shifting: an old JSON state holds read marks of the unshifted data.
        state.import_legacy_json(legacy_state_path(paths, "demo"))
        if server.time_shift_seconds:
            state.shift_times(server.time_shift_seconds)
    profile = Profile(
        name="demo",
        api_key=server.api_key,
        api_secret=server.api_secret,
        base_url=server.base_url,
        # A free port each run: pin the account, or the demo's drafts would not come back.
        pinned_account_key=DEMO_ACCOUNT,
    )
    return server, profile


# --------------------------------------------------------------------------- app


def _arg_given(args: argparse.Namespace, name: str) -> bool:
    value = getattr(args, name, None)
    return isinstance(value, str) and bool(value.strip())


def build_app_config(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str] | None = None,
    paths: Paths | None = None,
    profile: Profile | None = None,
) -> AppConfig:
    """Everything :class:`SendbeeApp` needs, from parsed arguments.

    ``profile`` (used after the setup screen switched accounts) skips resolution.
    Starts the demo sandbox when demo mode applies; its stop is in ``on_exit``.
    """
    env = os.environ if env is None else env
    paths = paths if paths is not None else default_paths(env)
    config_file = load_config_file(paths)
    # Drafts and read marks are customer conversations: keep the data dir private.
    ensure_private_dir(paths.data_dir)
    settings = config_file.settings
    if getattr(args, "poll", None):
        settings = dataclasses.replace(
            settings, poll_list_seconds=args.poll, poll_thread_seconds=args.poll
        )
    notices = list(config_file.warnings)
    demo = bool(getattr(args, "demo", False))
    # A serve-ssh session: the hub's credentials only, never the demo (team_mode).
    team = team_session(env)
    if team is not None and demo:
        raise ConfigError("--demo is not available in a team session")
    if profile is None and not demo:
        profile = resolve_profile(args, env, paths, config=config_file)
        demo = profile is None
        if demo and _arg_given(args, "base_url"):
            # Starting the demo instead would hide the mistake: the user meant a server.
            raise ConfigError(
                "--base-url was given but no API key and secret: pass --api-key with "
                f"${ENV_API_SECRET} set (or --api-secret, visible in `ps`), or --profile "
                "NAME, or save a profile with `sendbee-tui setup`; `--demo` starts the demo"
            )
        requested = getattr(args, "profile", None)
        if profile is not None and requested and profile.name != requested:
            notices.append(
                f"--profile {requested} is overridden by credentials from the "
                f"{'command line' if profile.name.startswith('cli-') else 'environment'}."
            )
    on_exit: list[Callable[[], None]] = []
    if demo:
        server, profile = start_demo(
            paths,
            simulate=getattr(args, "demo_simulate", DEMO_SIMULATE_SECONDS),
            reset=bool(getattr(args, "demo_reset", False)),
        )
        on_exit.append(_once(server.stop))
        notices.append(
            "Demo mode: a local sandbox with demo data and simulated customers. "
            "Press {key:app.setup} (or run `sendbee-tui setup`) to connect a real account."
        )
    return AppConfig(
        paths=paths,
        profile=profile,
        settings=settings,
        demo=demo,
        on_exit=on_exit,
        notices=notices,
        keymap=dict(config_file.keymap),
        snippets=dict(config_file.snippets),
        team=team,
    )


def make_app(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    paths: Paths | None = None,
    profile: Profile | None = None,
) -> SendbeeApp:
    """Build the inbox app as ``sendbee-tui ARGV`` would (tests use this too).

    Raises :class:`ConfigError` for unusable configuration.  In demo mode the
    sandbox is already running; ``app.config.on_exit`` stops it.
    """
    args = parse_args([] if argv is None else list(argv))
    if args.command is not None:
        raise ValueError(f"make_app builds the inbox; {args.command!r} is a subcommand")
    config = build_app_config(args, env=env, paths=paths, profile=profile)
    try:
        from sendbee_tui.tui.app import SendbeeApp
    except BaseException:
        for callback in config.on_exit:
            callback()
        raise
    return SendbeeApp(config)


# --------------------------------------------------------------------------- logging


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that is created (and re-created on rollover) with mode 0600."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def configure_logging(paths: Paths, level: str = "INFO") -> Path | None:
    """Send log records to a private file in the data dir.

    Needed while the TUI owns the terminal: without a handler Python prints
    warnings to stderr, right over the screen.
    """
    log_dir = paths.data_dir / "logs"
    path: Path | None = log_dir / "sendbee-tui.log"
    root = logging.getLogger()
    try:
        ensure_private_dir(log_dir)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            log_dir / "sendbee-tui.log", maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Second line of defence: whatever any library logs, credentials are redacted
    # at the handler, which also sees records propagated from child loggers.
    from sendbee_tui.api.redaction import RedactionFilter

    handler.addFilter(RedactionFilter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("sendbee_tui").setLevel(level)
    return path


# --------------------------------------------------------------------------- subcommands


def _cmd_profiles(args: argparse.Namespace, paths: Paths) -> int:
    if args.default:
        write_default_profile(paths, args.default)
        print(f"default profile: {args.default}")
        return 0
    if args.remove:
        default = remove_profile(paths, args.remove)
        print(f"removed profile {args.remove!r}; default profile: {default or '(none)'}")
        return 0
    loaded = load_config_file(paths)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not loaded.profiles:
        print(f"no profiles in {paths.config_file}; run `sendbee-tui setup` to add one")
        return 0
    print(f"profiles in {paths.config_file} (* = default):")
    width = max(len(name) for name in loaded.profiles)
    for name, profile in sorted(loaded.profiles.items()):
        mark = "*" if name == loaded.default_profile else " "
        print(f"{mark} {name:<{width}}  key {mask_secret(profile.api_key)}  {profile.base_url}")
    return 0


def _cmd_setup(args: argparse.Namespace, paths: Paths) -> int:
    from sendbee_tui.tui.screens.setup import SetupApp

    # `sendbee-tui --profile shop setup` means the same as `sendbee-tui setup --profile shop`.
    name = args.setup_profile or getattr(args, "profile", None)
    base_url = args.setup_base_url or getattr(args, "base_url", None)
    app = SetupApp(paths, name=name, base_url=base_url)
    # A closed terminal must end the setup screen too (see exit_signals).
    guard = ExitGuard()
    try:
        with guard.installed(), guard.running(app):
            profile = app.run()
    except Terminated as exc:
        return exc.exit_code
    if guard.exit_code is not None:
        return guard.exit_code
    if not isinstance(profile, Profile):
        print("setup cancelled; nothing saved")
        return 1
    print(f"saved profile {profile.name!r} ({profile.describe()}) to {paths.config_file}")
    print(
        "start the inbox with: sendbee-tui"
        + ("" if app.made_default else f" --profile {profile.name}")
    )
    return 0


def _run_inbox(args: argparse.Namespace, env: Mapping[str, str], paths: Paths) -> int:
    """Run the inbox (restarting on the profile the setup screen hands back).

    SIGHUP/SIGTERM end it within 2 s with local state saved, whatever is in
    flight (see :mod:`sendbee_tui.exit_signals`).
    """
    from sendbee_tui.api.transport import prepare_ssl_context

    prepare_ssl_context()  # on another core while the TUI is imported and composed
    guard = ExitGuard()
    try:
        with guard.installed():
            return _run_inbox_guarded(args, env, paths, guard)
    except Terminated as exc:
        return exc.exit_code
    except Exception:
        if guard.exit_code is None:
            raise
        # The terminal went away under the app (EIO and the like): the signal is the news.
        logger.info("exit after signal %s", guard.signum, exc_info=True)
        guard.wait_saved()
        return guard.exit_code


def _run_inbox_guarded(
    args: argparse.Namespace, env: Mapping[str, str], paths: Paths, guard: ExitGuard
) -> int:
    profile: Profile | None = None
    while True:
        config = build_app_config(args, env=env, paths=paths, profile=profile)
        try:
            from sendbee_tui.tui.app import SendbeeApp

            app = SendbeeApp(config)
            with guard.running(app):
                result = app.run()
        finally:
            guard.run_callbacks(config.on_exit)
        if guard.exit_code is not None:
            guard.wait_saved()
            return guard.exit_code
        if isinstance(result, Profile):
            # The app finished the setup screen and asks to restart on the new account.
            profile = result
            args.demo = False
            continue
        return app.return_code or 0


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Run ``sendbee-tui``; returns the process exit code."""
    env = os.environ if env is None else env
    args = parse_args(argv)
    paths = default_paths(env)
    try:
        if args.command == "sandbox":
            from sendbee_tui.sandbox.cli import run

            if getattr(args, "db", None) is None:
                # The same place as the sandbox's own default, but honouring
                # $SENDBEE_TUI_HOME like everything else.
                args.db = paths.data_dir / "sandbox.db"
            return run(args)
        if args.command == "serve-ssh":
            from sendbee_tui.team.cli import run as run_team

            return run_team(args, env=env)
        if args.command == "profiles":
            return _cmd_profiles(args, paths)
        configure_logging(paths, args.log_level)
        if args.command == "setup":
            return _cmd_setup(args, paths)
        return _run_inbox(args, env, paths)
    except ConfigError as exc:
        print(f"sendbee-tui: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # Unwritable config/data dir, disk full, ...: say what and where, no traceback.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"sendbee-tui: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
