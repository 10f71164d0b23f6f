"""Configuration: where files live, credential profiles, user settings.

The contract between the CLI (which resolves all of this) and the app (which
only consumes an :class:`AppConfig`).  Loading/saving functions are added below
the dataclasses.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE_URL = "https://api-v2.sendbee.io"


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

    ``profile`` is None when no credentials are known: the app then shows the
    first-run setup screen.  ``on_exit`` callbacks run when the app exits (the
    CLI uses one to stop the in-process demo sandbox).
    """

    paths: Paths
    profile: Profile | None
    settings: Settings = field(default_factory=Settings)
    demo: bool = False
    clock: Callable[[], float] = time.time
    on_exit: list[Callable[[], None]] = field(default_factory=list)
