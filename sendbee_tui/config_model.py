"""The configuration's shapes: where files live, profiles, settings, what the app starts with.

Plain frozen dataclasses and the small checks and defaults that go with them,
shared by reading (:mod:`sendbee_tui.config_read`), writing
(:mod:`sendbee_tui.config_write`) and the CLI.  Import them through
:mod:`sendbee_tui.config`, which re-exports everything.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sendbee_tui.accounts import account_key
from sendbee_tui.team_mode import TeamSession

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
