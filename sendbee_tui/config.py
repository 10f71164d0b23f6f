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
starting.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sendbee_tui.accounts import account_key, legacy_state_path
from sendbee_tui.private_files import atomic_write_private, ensure_private_dir
from sendbee_tui.team_mode import TeamSession

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

logger = logging.getLogger(__name__)

APP_NAME = "sendbee-tui"
DEFAULT_BASE_URL = "https://api-v2.sendbee.io"

#: Environment variables, in one place so the CLI help and the README agree.
ENV_HOME = "SENDBEE_TUI_HOME"
ENV_API_KEY = "SENDBEE_API_KEY"
ENV_API_SECRET = "SENDBEE_API_SECRET"
ENV_BASE_URL = "SENDBEE_BASE_URL"
ENV_PROFILE = "SENDBEE_PROFILE"

# Profile names end up as TOML keys and in state file names: keep them boring.
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class ConfigError(Exception):
    """The config file or the given credentials cannot be used; the message says why.

    Messages name the file and the key, never a secret value.
    """


@dataclass(frozen=True)
class Paths:
    """Directories for config (profiles, secrets) and data (drafts, read marks, sandbox db)."""

    config_dir: Path
    data_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"


@dataclass(frozen=True)
class Profile:
    """One business number's credentials. ``repr`` never shows the secret or key.

    ``pinned_account_key`` replaces the computed :attr:`account_key` for an
    account whose address changes from run to run: the demo's sandbox listens
    on a free port, so it is pinned to ``"demo"``.
    """

    name: str
    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    pinned_account_key: str | None = field(default=None, repr=False)

    @property
    def account_key(self) -> str:
        """What local state (drafts, read marks) is filed under: see :func:`account_key`."""
        return self.pinned_account_key or account_key(self.base_url, self.api_key)

    def describe(self) -> str:
        """A one-line, secret-free description for status lines and ``profiles`` output."""
        return f"{self.name}: key {mask_secret(self.api_key)}, {self.base_url}"


@dataclass(frozen=True)
class Settings:
    """User-tunable behaviour (config file ``[settings]`` table)."""

    poll_list_seconds: float = 5.0
    poll_thread_seconds: float = 3.0
    notify_bell: bool = False
    notify_osc: bool = False  # OSC 9 / OSC 777 desktop notification escapes
    page_size: int = 50


@dataclass
class AppConfig:
    """Everything the Textual app needs to start; built by ``cli.make_app``.

    ``profile`` is None only when the caller deliberately starts without
    credentials (the CLI never does: no credentials means demo mode).
    ``on_exit`` callbacks run when the app exits (the CLI uses one to stop the
    in-process demo sandbox).  ``notices`` are short, secret-free messages for
    the user gathered while starting (e.g. "unknown key in config.toml"); the app
    may show them as notifications.
    """

    paths: Paths
    profile: Profile | None
    settings: Settings = field(default_factory=Settings)
    demo: bool = False
    clock: Callable[[], float] = time.time
    on_exit: list[Callable[[], None]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: ``[keymap]``: binding id -> keys, ready for ``App.set_keymap``.
    keymap: dict[str, str] = field(default_factory=dict)
    #: ``[snippets]``: name -> canned reply text, in the file's order.
    snippets: dict[str, str] = field(default_factory=dict)
    #: Set when the app runs in a ``serve-ssh`` session (:mod:`sendbee_tui.team_mode`).
    team: TeamSession | None = None


@dataclass(frozen=True)
class ConfigFile:
    """Everything read from ``config.toml``."""

    profiles: dict[str, Profile]
    settings: Settings
    default_profile: str | None
    warnings: tuple[str, ...] = ()
    keymap: dict[str, str] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- helpers


def mask_secret(value: str | None) -> str:
    """Return ``value`` masked for display: a fixed ``****`` plus at most its last 4 chars.

    Short values show fewer characters (a quarter of the length, rounded down) so
    that masking a 6-character secret does not reveal most of it; the number of
    stars does not depend on the length, so the mask does not leak that either.
    """
    if not value:
        return "(not set)"
    visible = min(4, len(value) // 4)
    return "****" + (value[-visible:] if visible else "")


def validate_profile_name(name: str) -> str:
    """Return ``name`` if it is a usable profile name, else raise :class:`ConfigError`."""
    if not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"invalid profile name {name!r}: use 1-64 letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def validate_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash if it is an http(s) URL, else raise."""
    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(f"invalid base URL {url!r}: it must start with https:// or http://")
    return url.rstrip("/")


def default_paths(env: Mapping[str, str] | None = None) -> Paths:
    """Where config and data live.

    ``$SENDBEE_TUI_HOME`` (if set) puts both under one directory (``config/`` and
    ``data/``) — handy for tests, portable installs and several independent
    setups.  Otherwise platformdirs decides (``~/.config/sendbee-tui`` and
    ``~/.local/share/sendbee-tui`` on Linux, honouring ``$XDG_CONFIG_HOME`` and
    ``$XDG_DATA_HOME``).
    """
    env = os.environ if env is None else env
    home = env.get(ENV_HOME)
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root / "config", data_dir=root / "data")
    import platformdirs  # imported lazily: only needed when no override is given

    return Paths(
        config_dir=platformdirs.user_config_path(APP_NAME, appauthor=False),
        data_dir=platformdirs.user_data_path(APP_NAME, appauthor=False),
    )


# --------------------------------------------------------------------------- reading


_SETTINGS_KEYS = frozenset(f.name for f in dataclasses.fields(Settings))
_PROFILE_KEYS = ("api_key", "api_secret", "base_url")
_TOP_LEVEL_KEYS = ("default_profile", "settings", "keymap", "snippets", "profiles")


def _check_number(where: str, value: Any, *, integer: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "an integer" if integer else "a number"
        raise ConfigError(f"{where} must be {kind}, not {type(value).__name__}")
    if integer and not isinstance(value, int):
        raise ConfigError(f"{where} must be an integer, not {type(value).__name__}")
    return value


def _parse_settings(path: Path, table: Any, warnings: list[str]) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [settings] must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{path}: settings.{key}"
        if key not in _SETTINGS_KEYS:
            warnings.append(f"{path}: unknown setting {key!r} ignored")
            continue
        if key in ("notify_bell", "notify_osc"):
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false, not {type(value).__name__}")
        elif key == "page_size":
            _check_number(where, value, integer=True)
            if not 1 <= value <= 100:
                raise ConfigError(f"{where} must be between 1 and 100 (the API maximum)")
        else:  # poll intervals
            value = float(_check_number(where, value, integer=False))
            if not 0.5 <= value <= 3600:
                raise ConfigError(f"{where} must be between 0.5 and 3600 seconds")
        values[key] = value
    return Settings(**values)


def _parse_profile(path: Path, name: str, table: Any, warnings: list[str]) -> Profile:
    where = f"{path}: [profiles.{name}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    try:
        validate_profile_name(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    for key in table:
        if key not in _PROFILE_KEYS:
            warnings.append(f"{where}: unknown key {key!r} ignored")
    values: dict[str, str] = {}
    for key in _PROFILE_KEYS:
        value = table.get(key)
        if value is None:
            if key == "base_url":
                continue
            raise ConfigError(f"{where} has no {key}")
        if not isinstance(value, str):
            raise ConfigError(f"{where} {key} must be a string, not {type(value).__name__}")
        if not value.strip():
            raise ConfigError(f"{where} {key} is empty")
        values[key] = value.strip()
    if "base_url" in values:
        try:
            values["base_url"] = validate_base_url(values["base_url"])
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return Profile(name=name, **values)


def _parse_keymap(path: Path, table: Any, warnings: list[str]) -> dict[str, str]:
    """``[keymap]`` as binding id -> keys; bad entries are skipped with a notice.

    Binding ids contain dots (``inbox.done``): written unquoted, TOML reads them
    as nested tables, so nested tables are flattened back into dotted ids.
    """
    if not isinstance(table, dict):
        warnings.append(f"{path}: [keymap] must be a table of binding id = keys; ignored")
        return {}
    keymap: dict[str, str] = {}
    pending: list[tuple[str, Any]] = list(table.items())
    while pending:
        binding, keys = pending.pop(0)
        if isinstance(keys, dict):
            pending[:0] = [(f"{binding}.{k}", v) for k, v in keys.items()]
        elif isinstance(keys, str) and keys.strip():
            keymap[binding] = keys.strip()
        else:
            what = "empty" if isinstance(keys, str) else f"a {type(keys).__name__}"
            warnings.append(
                f'{path}: keymap {binding!r} must be keys such as "x" or "j,down", '
                f"not {what}; ignored"
            )
    return keymap


def _parse_snippets(path: Path, table: Any, warnings: list[str]) -> dict[str, str]:
    """``[snippets]`` as name -> text in the file's order; non-text entries skipped, noticed."""
    if not isinstance(table, dict):
        warnings.append(f"{path}: [snippets] must be a table of name = text; ignored")
        return {}
    snippets: dict[str, str] = {}
    for name, text in table.items():
        if isinstance(text, str):
            snippets[name] = text
        else:
            warnings.append(
                f"{path}: snippet {name!r} must be text, not {type(text).__name__}; ignored"
            )
    return snippets


def _read_raw(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message gives line and column, never the offending value.
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def load_config_file(paths: Paths) -> ConfigFile:
    """Read and validate ``config.toml``; a missing file is an empty config.

    Unknown keys are ignored with a warning (logged, and returned in
    ``warnings`` for the CLI to show); wrong types raise :class:`ConfigError`.
    """
    path = paths.config_file
    raw = _read_raw(path)
    warnings: list[str] = []
    if raw and os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            warnings.append(
                f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}"
            )
    for key in raw:
        if key not in _TOP_LEVEL_KEYS:
            warnings.append(f"{path}: unknown key {key!r} ignored")
    settings = _parse_settings(path, raw.get("settings", {}), warnings)
    profiles_table = raw.get("profiles", {})
    if not isinstance(profiles_table, dict):
        raise ConfigError(f"{path}: [profiles] must be a table of [profiles.NAME] tables")
    profiles = {
        name: _parse_profile(path, name, table, warnings) for name, table in profiles_table.items()
    }
    default = raw.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"{path}: default_profile must be a string")
    if default is not None and default not in profiles:
        raise ConfigError(
            f"{path}: default_profile is {default!r} but there is no [profiles.{default}]"
        )
    keymap = _parse_keymap(path, raw.get("keymap", {}), warnings)
    snippets = _parse_snippets(path, raw.get("snippets", {}), warnings)
    for message in warnings:
        logger.warning("%s", message)
    return ConfigFile(
        profiles=profiles,
        settings=settings,
        default_profile=default,
        warnings=tuple(warnings),
        keymap=keymap,
        snippets=snippets,
    )


def load_config(paths: Paths) -> tuple[dict[str, Profile], Settings]:
    """Profiles by name and settings from ``config.toml`` (see :func:`load_config_file`)."""
    loaded = load_config_file(paths)
    return loaded.profiles, loaded.settings


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
