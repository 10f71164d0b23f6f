"""The ``profiles`` and ``setup`` subcommands: the accounts saved on this machine.

They print to the terminal (this is the command line, not the library), and
``setup`` imports Textual only when it runs.
"""

from __future__ import annotations

import argparse
import sys

from sendbee_tui.config import (
    Paths,
    Profile,
    load_config_file,
    mask_secret,
    remove_profile,
    write_default_profile,
)
from sendbee_tui.exit_signals import ExitGuard, Terminated

__all__ = ["cmd_profiles", "cmd_setup"]


def cmd_profiles(args: argparse.Namespace, paths: Paths) -> int:
    """List the saved profiles (secrets masked), or set the default, or remove one."""
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


def cmd_setup(args: argparse.Namespace, paths: Paths) -> int:
    """The setup screen on its own: check key and secret, save a profile."""
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
