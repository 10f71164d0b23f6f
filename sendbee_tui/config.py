"""Configuration: where files live, credential profiles, user settings, keymap, snippets.

The contract between the CLI (which resolves all of this) and the app (which
only consumes an :class:`AppConfig`).

The config file is TOML (``config.toml`` in the platformdirs config dir)::

    default_profile = "shop"

    [settings]
    poll_list_seconds = 5.0

    [keymap]                      # binding id = keys (Textual's keymap format)
    "inbox.done" = "x"
    "list.down" = "j,down"

    [snippets]                    # name = canned reply, in the order shown
    thanks = "Thank you for your message! We'll get back to you shortly."

    [profiles.shop]
    api_key = "..."
    api_secret = "..."
    base_url = "https://api-v2.sendbee.io"

It holds secrets, so it is written with mode 0600 from the moment it exists
(never "write, then chmod": that leaves a window in which others can read it),
inside a 0700 directory, and replaced atomically so a crash never leaves half a
file behind; writes edit it in place, keeping the user's comments
(:mod:`sendbee_tui.config_write`).  Reading is tolerant of keys it does not
know (a newer version may have written them) but strict about types, with
messages that name the key — except in ``[keymap]`` and ``[snippets]``, where a
bad entry is skipped with a notice so that a typo never keeps the app from
starting (:mod:`sendbee_tui.config_read`).

This module is the one to import from: it re-exports the dataclasses and checks
(:mod:`sendbee_tui.config_model`), reading, and thin wrappers over writing, so
callers need not know how the work is divided.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sendbee_tui.accounts import account_key, legacy_state_path
from sendbee_tui.config_model import (
    APP_NAME,
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_API_SECRET,
    ENV_BASE_URL,
    ENV_HOME,
    ENV_PROFILE,
    AppConfig,
    ConfigError,
    ConfigFile,
    Paths,
    Profile,
    Settings,
    default_paths,
    mask_secret,
    validate_base_url,
    validate_profile_name,
)
from sendbee_tui.config_read import load_config, load_config_file
from sendbee_tui.private_files import atomic_write_private, ensure_private_dir

# --------------------------------------------------------------------------- writing


# In config_write (tomlkit, imported on first use); thin wrappers keep them here.


def save_profile(paths: Paths, profile: Profile, make_default: bool = True) -> Path:
    """Add or replace ``profile`` in ``config.toml`` (the first saved becomes the default)."""
    from sendbee_tui import config_write

    return config_write.save_profile(paths, profile, make_default)


def remove_profile(paths: Paths, name: str) -> str | None:
    """Delete profile ``name``; returns the default profile afterwards (or None)."""
    from sendbee_tui import config_write

    return config_write.remove_profile(paths, name)


def write_default_profile(paths: Paths, name: str) -> None:
    """Make ``name`` (an existing profile) the default, keeping the rest of the file."""
    from sendbee_tui import config_write

    config_write.write_default_profile(paths, name)


def save_snippets(paths: Paths, snippets: Mapping[str, str]) -> Path:
    """Make ``[snippets]`` hold exactly ``snippets``, keeping the file's comments and order."""
    from sendbee_tui import config_write

    return config_write.save_snippets(paths, snippets)


__all__ = [
    "APP_NAME",
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_API_SECRET",
    "ENV_BASE_URL",
    "ENV_HOME",
    "ENV_PROFILE",
    "AppConfig",
    "ConfigError",
    "ConfigFile",
    "Paths",
    "Profile",
    "Settings",
    "account_key",
    "atomic_write_private",
    "default_paths",
    "ensure_private_dir",
    "legacy_state_path",
    "load_config",
    "load_config_file",
    "mask_secret",
    "remove_profile",
    "save_profile",
    "save_snippets",
    "validate_base_url",
    "validate_profile_name",
    "write_default_profile",
]
