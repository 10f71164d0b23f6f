"""Editing ``config.toml`` in place: profiles, the default profile, snippets.

The file is the user's: they may have commented it, ordered it, added tables
of a newer version.  So it is edited, not regenerated — with tomlkit, which
keeps comments, blank lines, key order and unknown tables (stdlib tomllib
only reads; tomli-w writes a fresh document and drops every comment).
Reading for use stays with tomllib in :mod:`sendbee_tui.config`; tomlkit is
imported only here, so starting the app does not pay for it.

Every write replaces the file atomically with mode 0600 from the first byte
(:func:`~sendbee_tui.private_files.atomic_write_private`): it holds secrets.
Call these through :mod:`sendbee_tui.config`, which re-exports them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import Item, Table
from tomlkit.toml_document import TOMLDocument

from sendbee_tui.config import (
    ConfigError,
    Paths,
    Profile,
    load_config_file,
    validate_base_url,
    validate_profile_name,
)
from sendbee_tui.private_files import atomic_write_private

logger = logging.getLogger(__name__)

_HEADER = (
    "sendbee-tui configuration. Holds API secrets: keep it private (mode 0600).",
    "sendbee-tui edits it in place: your comments, key order and other tables are kept.",
)


# --------------------------------------------------------------------------- document


def _load(path: Path) -> TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        doc = tomlkit.document()
        for line in _HEADER:
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
        return doc
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        # Position only: the parser's message may quote a character of a secret.
        raise ConfigError(f"{path} is not valid TOML (line {exc.line}, column {exc.col})") from None


def _save(path: Path, doc: TOMLDocument) -> None:
    atomic_write_private(path, tomlkit.dumps(doc).encode("utf-8"))


def _table(doc: TOMLDocument, name: str, *, super_table: bool = False) -> Table:
    """The top-level table ``name``, created (or replacing a non-table value) when needed."""
    current = doc.get(name)
    if isinstance(current, Table):
        return current
    if current is not None:
        logger.warning("config: %r was not a table; replacing it", name)
        del doc[name]
    table = tomlkit.table(is_super_table=super_table)
    doc[name] = table
    return table


def _string(text: str) -> Item:
    """A TOML string; multi-line text as a ``\"\"\"`` block, which reads well in an editor.

    Not with a carriage return: TOML readers may turn a raw CR LF inside a
    block into LF, so such text stays on one line with ``\\r\\n`` escapes.
    """
    return tomlkit.string(text, multiline="\n" in text and "\r" not in text)


def _set_default(doc: TOMLDocument, name: str | None) -> None:
    if name is None:
        if "default_profile" in doc:
            del doc["default_profile"]
    else:
        doc["default_profile"] = name


# --------------------------------------------------------------------------- profiles


def save_profile(paths: Paths, profile: Profile, make_default: bool = True) -> Path:
    """Add or replace ``profile`` in ``config.toml``; returns the file's path.

    Everything else in the file is kept, including comments and unknown keys
    inside the profile's own table.  The first profile saved becomes the
    default even when ``make_default`` is false, so that a plain
    ``sendbee-tui`` finds it.
    """
    validate_profile_name(profile.name)
    if not profile.api_key.strip() or not profile.api_secret.strip():
        raise ConfigError("a profile needs both an API key and an API secret")
    values = {
        "api_key": profile.api_key.strip(),
        "api_secret": profile.api_secret.strip(),
        "base_url": validate_base_url(profile.base_url),
    }
    path = paths.config_file
    doc = _load(path)
    profiles = _table(doc, "profiles", super_table=True)
    existing = profiles.get(profile.name)
    if isinstance(existing, Table):
        for key, value in values.items():
            existing[key] = value
    else:
        table = tomlkit.table()
        for key, value in values.items():
            table[key] = value
        table.add(tomlkit.nl())  # a blank line before whatever table follows
        profiles[profile.name] = table
    current = doc.get("default_profile")
    if make_default or not isinstance(current, str) or current not in profiles:
        _set_default(doc, profile.name)
    _save(path, doc)
    logger.info("saved profile %r to %s", profile.name, path)
    return path


def remove_profile(paths: Paths, name: str) -> str | None:
    """Delete profile ``name`` from ``config.toml``; returns the default afterwards.

    Removing the default makes the first remaining profile (alphabetically) the
    default, or leaves none.  Local state (drafts) of the profile is kept.
    """
    path = paths.config_file
    doc = _load(path)
    profiles = doc.get("profiles")
    if not isinstance(profiles, Table) or name not in profiles:
        raise ConfigError(f"no profile named {name!r}")
    del profiles[name]
    current = doc.get("default_profile")
    default = str(current) if isinstance(current, str) and current in profiles else None
    if default is None and profiles:
        default = min(str(key) for key in profiles)
    _set_default(doc, default)
    _save(path, doc)
    logger.info("removed profile %r from %s", name, path)
    return default


def write_default_profile(paths: Paths, name: str) -> None:
    """Make ``name`` (an existing, valid profile) the default, keeping the rest of the file."""
    if name not in load_config_file(paths).profiles:
        raise ConfigError(f"no profile named {name!r}")
    doc = _load(paths.config_file)
    _set_default(doc, name)
    _save(paths.config_file, doc)


# --------------------------------------------------------------------------- snippets


def save_snippets(paths: Paths, snippets: Mapping[str, str]) -> Path:
    """Make ``[snippets]`` hold exactly ``snippets`` (name -> text), in their order.

    The whole table is given, so adding, editing, renaming and deleting are
    all one call.  Snippets that stay keep their place and comments; new ones
    are appended; the rest of the file is untouched.  An empty mapping empties
    the table (its header and comments stay).  Returns the file's path.
    """
    wanted: dict[str, str] = {}
    for name, text in snippets.items():
        if not isinstance(name, str) or not name.strip():
            raise ConfigError("a snippet needs a name")
        if not isinstance(text, str):
            raise ConfigError(f"snippet {name!r} must be text, not {type(text).__name__}")
        wanted[name] = text
    path = paths.config_file
    doc = _load(path)
    if not wanted and not isinstance(doc.get("snippets"), Table):
        return path  # nothing to store and nothing to empty
    table = _table(doc, "snippets")
    _sync_table(table, wanted)
    _save(path, doc)
    logger.info("saved %d snippet(s) to %s", len(wanted), path)
    return path


def _sync_table(table: Table, wanted: Mapping[str, str]) -> None:
    """Edit ``table`` in place until it holds ``wanted``, disturbing as little as possible."""
    for key in [str(k) for k in table if k not in wanted]:
        del table[key]
    kept = [str(k) for k in table]
    if kept + [k for k in wanted if k not in table] != list(wanted):
        # Reordered, or a new key belongs before a kept one (a rename): take the kept
        # items out (with their comments) and put them back in the wanted order.
        items: dict[str, Any] = {key: table.item(key) for key in kept}
        for key in kept:
            del table[key]
        for key, text in wanted.items():
            item = items.get(key)
            table.add(key, item if item is not None and item == text else _string(text))
        return
    for key, text in wanted.items():
        if key not in table:
            table.add(key, _string(text))
        elif table[key] != text:
            table[key] = _string(text)


__all__ = ["remove_profile", "save_profile", "save_snippets", "write_default_profile"]
