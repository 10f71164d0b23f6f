"""Reading ``config.toml``: TOML in, validated :class:`~sendbee_tui.config_model.ConfigFile` out.

Tolerant of keys it does not know (a newer version may have written them) but
strict about types, with messages that name the key — except in ``[keymap]``
and ``[snippets]``, where a bad entry is skipped with a notice so that a typo
never keeps the app from starting.  Uses stdlib tomllib (tomlkit, which keeps
comments, is only needed to write: :mod:`sendbee_tui.config_write`).  Import
through :mod:`sendbee_tui.config`, which re-exports :func:`load_config_file`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import stat
import sys
from pathlib import Path
from typing import Any

from sendbee_tui.config_model import (
    ConfigError,
    ConfigFile,
    Paths,
    Profile,
    Settings,
    validate_base_url,
    validate_profile_name,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

# Named after the public module, so log filters set on "sendbee_tui.config" keep working.
logger = logging.getLogger("sendbee_tui.config")

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
