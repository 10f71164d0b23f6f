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
and ``profiles`` answer instantly.  The parts live beside this module:
:mod:`.cli_parser` (the arguments), :mod:`.demo` (the demo sandbox),
:mod:`.log_file` (the private log file), :mod:`.cli_accounts` (``profiles`` and
``setup``); this one resolves the configuration and runs the inbox.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from sendbee_tui import startup
from sendbee_tui.cli_accounts import cmd_profiles, cmd_setup
from sendbee_tui.cli_parser import EPILOG, build_parser, parse_args
from sendbee_tui.config import (
    ENV_API_SECRET,
    AppConfig,
    ConfigError,
    Paths,
    Profile,
    default_paths,
    ensure_private_dir,
    load_config_file,
)
from sendbee_tui.credentials import resolve_profile
from sendbee_tui.demo import (
    DEMO_ACCOUNT,
    DEMO_SIMULATE_SECONDS,
    DEMO_UNREAD_WINDOW,
    demo_db_path,
    start_demo,
)
from sendbee_tui.exit_signals import ExitGuard, Terminated
from sendbee_tui.log_file import configure_logging
from sendbee_tui.team_mode import team_session

if TYPE_CHECKING:
    from sendbee_tui.tui.app import SendbeeApp

__all__ = [
    "DEMO_ACCOUNT",
    "DEMO_SIMULATE_SECONDS",
    "DEMO_UNREAD_WINDOW",
    "EPILOG",
    "build_app_config",
    "build_parser",
    "configure_logging",
    "demo_db_path",
    "main",
    "make_app",
    "parse_args",
    "start_demo",
]

logger = logging.getLogger(__name__)


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


#: Commands other than the inbox (``startup.hold_collector`` is for the inbox's start).
_NOT_THE_INBOX = frozenset({"sandbox", "serve-ssh", "profiles", "setup"})


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Run ``sendbee-tui``; returns the process exit code."""
    env = os.environ if env is None else env
    args = parse_args(argv)
    paths = default_paths(env)
    if args.command in _NOT_THE_INBOX:
        # The entry point paused the collector for the inbox's start; a server that
        # runs for days, or a setup form, must not run without it.
        startup.release_collector()
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
            return cmd_profiles(args, paths)
        configure_logging(paths, args.log_level)
        if args.command == "setup":
            return cmd_setup(args, paths)
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
