"""Configuration: where files live, credential profiles, user settings.

The contract between the CLI (which resolves all of this) and the app (which
only consumes an :class:`AppConfig`).

The config file is TOML (``config.toml`` in the platformdirs config dir)::

    default_profile = "shop"

    [settings]
    poll_list_seconds = 5.0

    [profiles.shop]
    api_key = "..."
    api_secret = "..."
    base_url = "https://api-v2.sendbee.io"

It holds secrets, so it is written with mode 0600 from the moment it exists
(never "write, then chmod": that leaves a window in which others can read it),
inside a 0700 directory, and replaced atomically so a crash never leaves half a
file behind.  Reading is tolerant of keys it does not know (a newer version may
have written them) but strict about types, with messages that name the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
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

import tomli_w

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
    """One business number's credentials. ``repr`` never shows the secret or key."""

    name: str
    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL

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


@dataclass(frozen=True)
class ConfigFile:
    """Everything read from ``config.toml``."""

    profiles: dict[str, Profile]
    settings: Settings
    default_profile: str | None
    warnings: tuple[str, ...] = ()


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


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make sure only the owner can enter it (0700).

    Only the last component is ours to tighten; parents are created with the
    default mode.  An existing directory with a wider mode is tightened: it is
    this application's own directory and it holds secrets.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    return path


def atomic_write_private(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically, the file readable by its owner only.

    The temporary file is created with ``os.open(..., 0o600)``, so the content
    is never readable by others at any moment; ``os.replace`` then swaps it in
    so readers see either the old or the new file, never a mix.
    """
    ensure_private_dir(path.parent)
    fd, tmp_name = _create_private_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def _create_private_temp(path: Path) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {path}")  # pragma: no cover


# --------------------------------------------------------------------------- reading


_SETTINGS_KEYS = frozenset(f.name for f in dataclasses.fields(Settings))
_PROFILE_KEYS = ("api_key", "api_secret", "base_url")
_TOP_LEVEL_KEYS = ("default_profile", "settings", "profiles")


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
    for message in warnings:
        logger.warning("%s", message)
    return ConfigFile(
        profiles=profiles, settings=settings, default_profile=default, warnings=tuple(warnings)
    )


def load_config(paths: Paths) -> tuple[dict[str, Profile], Settings]:
    """Profiles by name and settings from ``config.toml`` (see :func:`load_config_file`)."""
    loaded = load_config_file(paths)
    return loaded.profiles, loaded.settings


# --------------------------------------------------------------------------- writing


def save_profile(paths: Paths, profile: Profile, make_default: bool = True) -> Path:
    """Add or replace ``profile`` in ``config.toml``; returns the file's path.

    The rest of the file (settings, other profiles, keys this version does not
    know) is kept.  The first profile saved becomes the default even when
    ``make_default`` is false, so that a plain ``sendbee-tui`` finds it.
    """
    validate_profile_name(profile.name)
    if not profile.api_key.strip() or not profile.api_secret.strip():
        raise ConfigError("a profile needs both an API key and an API secret")
    base_url = validate_base_url(profile.base_url)
    path = paths.config_file
    raw = _read_raw(path)
    profiles = raw.get("profiles")
    if not isinstance(profiles, dict):
        profiles = {}
    profiles[profile.name] = {
        "api_key": profile.api_key.strip(),
        "api_secret": profile.api_secret.strip(),
        "base_url": base_url,
    }
    current_default = raw.get("default_profile")
    if make_default or not isinstance(current_default, str) or current_default not in profiles:
        current_default = profile.name
    _write_config(path, raw, profiles, current_default)
    logger.info("saved profile %r to %s", profile.name, path)
    return path


def remove_profile(paths: Paths, name: str) -> str | None:
    """Delete profile ``name`` from ``config.toml``; returns the default afterwards.

    Removing the default makes the first remaining profile (alphabetically) the
    default, or leaves none.  Local state (drafts) of the profile is kept.
    """
    path = paths.config_file
    raw = _read_raw(path)
    profiles = raw.get("profiles")
    if not isinstance(profiles, dict) or name not in profiles:
        raise ConfigError(f"no profile named {name!r}")
    del profiles[name]
    current_default = raw.get("default_profile")
    if not isinstance(current_default, str) or current_default not in profiles:
        current_default = min(profiles) if profiles else None
    _write_config(path, raw, profiles, current_default)
    logger.info("removed profile %r from %s", name, path)
    return current_default


def _write_config(
    path: Path, raw: dict[str, Any], profiles: dict[str, Any], default: str | None
) -> None:
    # Rebuild in a stable, readable order: default_profile, [settings], [profiles.*].
    out: dict[str, Any] = {} if default is None else {"default_profile": default}
    out.update({k: v for k, v in raw.items() if k not in _TOP_LEVEL_KEYS})
    if isinstance(raw.get("settings"), dict):
        out["settings"] = raw["settings"]
    out["profiles"] = profiles
    header = (
        "# sendbee-tui configuration. Holds API secrets: keep it private (mode 0600).\n"
        "# Written by sendbee-tui; comments you add here are not kept.\n\n"
    )
    atomic_write_private(path, (header + tomli_w.dumps(out)).encode("utf-8"))


# --------------------------------------------------------------------------- resolving


def _arg(args: Any, name: str) -> str | None:
    value = getattr(args, name, None)
    if isinstance(value, str):
        value = value.strip()
    return value or None


def _matching_profile_name(
    profiles: Mapping[str, Profile], api_key: str, base_url: str
) -> str | None:
    for name, profile in profiles.items():
        if profile.api_key == api_key and profile.base_url == base_url:
            return name
    return None


def _adhoc_name(source: str, api_key: str, base_url: str) -> str:
    # A stable, secret-free name, so per-account local state (drafts, read
    # marks) of ad-hoc credentials does not mix with another account's.
    digest = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:8]
    return f"{source}-{digest}"


def resolve_profile(
    args: Any,
    env: Mapping[str, str] | None = None,
    paths: Paths | None = None,
    *,
    config: ConfigFile | None = None,
) -> Profile | None:
    """Decide which credentials to use, or None when there are none (demo mode).

    Precedence, highest first:

    1. ``--api-key`` / ``--api-secret`` / ``--base-url`` on the command line;
    2. ``$SENDBEE_API_KEY`` / ``$SENDBEE_API_SECRET`` / ``$SENDBEE_BASE_URL``;
    3. the profile named by ``--profile NAME`` (or ``$SENDBEE_PROFILE``);
    4. the config file's ``default_profile`` (or its only profile).

    Key and secret always come as a pair from sources 1-2 (a key on the
    command line with the secret in the environment is fine, and keeps the
    secret out of ``ps``); they are never mixed with a profile's.  A base URL
    from 1-2 also overrides a profile's.  Credentials from 1-2 that match a
    saved profile take its name, so they share its drafts and read marks.

    ``args`` is anything with the argparse attribute names (``api_key``,
    ``api_secret``, ``base_url``, ``profile``); missing attributes count as unset.
    """
    env = os.environ if env is None else env
    if config is None:
        config = load_config_file(paths if paths is not None else default_paths(env))
    profiles = config.profiles

    base_override = _arg(args, "base_url") or (env.get(ENV_BASE_URL) or "").strip() or None
    if base_override is not None:
        base_override = validate_base_url(base_override)

    cli_key, cli_secret = _arg(args, "api_key"), _arg(args, "api_secret")
    env_key = (env.get(ENV_API_KEY) or "").strip() or None
    env_secret = (env.get(ENV_API_SECRET) or "").strip() or None
    key, secret = cli_key or env_key, cli_secret or env_secret
    if key or secret:
        if not key:
            raise ConfigError(
                f"an API secret was given but no API key: pass --api-key or set {ENV_API_KEY}"
            )
        if not secret:
            raise ConfigError(
                f"an API key was given but no API secret: set {ENV_API_SECRET} "
                "(or pass --api-secret, which other users can see in `ps`)"
            )
        base_url = base_override or DEFAULT_BASE_URL
        source = "cli" if (cli_key or cli_secret) else "env"
        requested = _arg(args, "profile")
        if requested:
            logger.warning(
                "credentials from the %s override --profile %s",
                "command line" if source == "cli" else "environment",
                requested,
            )
        name = _matching_profile_name(profiles, key, base_url) or _adhoc_name(source, key, base_url)
        return Profile(name=name, api_key=key, api_secret=secret, base_url=base_url)

    requested = _arg(args, "profile") or (env.get(ENV_PROFILE) or "").strip() or None
    if requested:
        if requested not in profiles:
            known = ", ".join(sorted(profiles)) or "none saved yet; run `sendbee-tui setup`"
            raise ConfigError(f"no profile named {requested!r} (profiles: {known})")
        chosen: Profile | None = profiles[requested]
    elif config.default_profile:
        chosen = profiles[config.default_profile]
    elif len(profiles) == 1:
        chosen = next(iter(profiles.values()))
    elif profiles:
        raise ConfigError(
            "several profiles and no default_profile: pass --profile NAME "
            f"(one of {', '.join(sorted(profiles))})"
        )
    else:
        chosen = None
    if chosen is not None and base_override is not None:
        chosen = dataclasses.replace(chosen, base_url=base_override)
    return chosen


def write_default_profile(paths: Paths, name: str) -> None:
    """Make ``name`` (an existing profile) the default, keeping the rest of the file."""
    config = load_config_file(paths)
    if name not in config.profiles:
        raise ConfigError(f"no profile named {name!r}")
    save_profile(paths, config.profiles[name], make_default=True)


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
    "atomic_write_private",
    "default_paths",
    "ensure_private_dir",
    "load_config",
    "load_config_file",
    "mask_secret",
    "remove_profile",
    "resolve_profile",
    "save_profile",
    "validate_base_url",
    "validate_profile_name",
]
