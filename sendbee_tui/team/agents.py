"""The agents file: who may log in over SSH, as which Sendbee team member.

The file is TOML, one ``[[agent]]`` table per person::

    [[agent]]
    name = "Ana Horvat"
    member_id = "6e0c1a52-..."        # her id in Sendbee's team (GET /teams/members)
    keys = ["ssh-ed25519 AAAAC3Nza... ana@laptop"]

    [[agent]]
    name = "Borna Kovač"
    member_id = "..."
    slug = "borna"                    # optional: the name of her state directory
    keys = ["ssh-ed25519 AAAA... borna@desk", "ecdsa-sha2-nistp256 AAAA... borna@phone"]

Why the key, not the SSH user name, decides who someone is: the user name is
typed by the client and proves nothing; the key is what public-key
authentication proves.  A key may belong to one agent only.

Errors name the file and the line: a syntax error carries tomllib's own line
and column, a bad value the line of the ``[[agent]]`` table or of the key
string, so whoever edits the file on the host can fix it without guessing.
:class:`AgentsWatcher` reloads the file when it changes and keeps the last good
version when the new one is broken (sessions are never dropped by a reload).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["Agent", "AgentsFile", "AgentsFileError", "AgentsWatcher", "load_agents", "slugify"]

logger = logging.getLogger(__name__)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_AGENT_HEADER = re.compile(r"^\s*\[\[\s*agent\s*\]\]")
_KNOWN_KEYS = frozenset({"name", "member_id", "keys", "slug"})
#: Letters that Unicode does not decompose into an ASCII base letter.
_FOLD = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "þ": "th",
        "Þ": "Th",
    }
)


class AgentsFileError(Exception):
    """The agents file cannot be used; the message names the file and, when known, the line."""


@dataclass(frozen=True)
class Agent:
    """One person allowed in: display name, Sendbee team member id, state-dir slug, keys."""

    name: str
    member_id: str
    slug: str
    #: Fingerprints (SHA256:...) of the agent's keys, for the log; never the keys themselves.
    fingerprints: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class AgentsFile:
    """A parsed agents file: agents in file order and a lookup from public key to agent."""

    agents: tuple[Agent, ...]
    by_key: Mapping[bytes, Agent]

    def agent_for(self, key: asyncssh.SSHKey) -> Agent | None:
        """The agent owning ``key`` (compared on the public key blob), or None."""
        return self.by_key.get(bytes(key.public_data))


def slugify(name: str) -> str:
    """A directory-safe name for ``name``: ``"Borna Kovač"`` -> ``"borna-kovac"``.

    Letters are folded to ASCII (accents dropped); a name with no ASCII letter
    or digit at all gets a short stable hash, so every agent has a directory.
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    folded = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:48].strip("-")
    if not slug:
        slug = "agent-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def _header_lines(text: str) -> list[int]:
    """1-based line numbers of the ``[[agent]]`` headers, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _AGENT_HEADER.match(line)]


def _line_of(text: str, needle: str, after: int) -> int | None:
    """The first line (1-based) at or after ``after`` that contains ``needle``."""
    probe = needle.strip()[:60]
    if not probe:
        return None
    for n, line in enumerate(text.splitlines(), 1):
        if n >= after and probe in line:
            return n
    return None


def _where(path: Path, line: int | None, index: int) -> str:
    return f"{path}, line {line}" if line else f"{path}, agent #{index + 1}"


def _text(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise AgentsFileError(f"{where}: the agent has no {key}")
        return None
    if not isinstance(value, str) or not value.strip():
        raise AgentsFileError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def parse_agents(text: str, path: Path) -> AgentsFile:
    """Parse the agents file's text; raises :class:`AgentsFileError` naming the line."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)" and never quotes
        # values; for an error at the very end it says "end of document" instead.
        where = f"{path}, line {len(text.splitlines())}: " if "line" not in str(exc) else ""
        raise AgentsFileError(f"{where or str(path) + ': '}not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - {"agent"})
    if unknown:
        raise AgentsFileError(f"{path}: unknown top-level key {unknown[0]!r} (expected [[agent]])")
    tables = raw.get("agent", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise AgentsFileError(f"{path}: 'agent' must be [[agent]] tables")
    headers = _header_lines(text)
    agents: list[Agent] = []
    by_key: dict[bytes, Agent] = {}
    slugs: dict[str, str] = {}
    for index, table in enumerate(tables):
        header = headers[index] if index < len(headers) else None
        where = _where(path, header, index)
        extra = sorted(set(table) - _KNOWN_KEYS)
        if extra:
            line = _line_of(text, extra[0], header or 1)
            raise AgentsFileError(f"{_where(path, line, index)}: unknown key {extra[0]!r}")
        name = _text(table, "name", where)
        member_id = _text(table, "member_id", where)
        assert name is not None and member_id is not None
        slug = _text(table, "slug", where, required=False) or slugify(name)
        if not _SLUG.match(slug):
            raise AgentsFileError(f"{where}: slug {slug!r} must be lowercase letters, digits, '-'")
        if slug in slugs:
            raise AgentsFileError(
                f"{where}: {name!r} has the same directory name {slug!r} as {slugs[slug]!r}; "
                "give one of them a different slug"
            )
        slugs[slug] = name
        keys = table.get("keys")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise AgentsFileError(f"{where}: keys must be a non-empty list of public key strings")
        parsed: list[asyncssh.SSHKey] = []
        for key_text in keys:
            line = _line_of(text, key_text, header or 1)
            try:
                parsed.append(asyncssh.import_public_key(key_text.strip()))
            except (asyncssh.KeyImportError, ValueError):
                raise AgentsFileError(
                    f"{_where(path, line, index)}: not an OpenSSH public key "
                    "(expected e.g. 'ssh-ed25519 AAAA... comment')"
                ) from None
        agent = Agent(
            name=name,
            member_id=member_id,
            slug=slug,
            fingerprints=tuple(k.get_fingerprint() for k in parsed),
        )
        for key, key_text in zip(parsed, keys, strict=True):
            blob = bytes(key.public_data)
            owner = by_key.get(blob)
            if owner is not None and owner.name != name:
                line = _line_of(text, key_text, header or 1)
                raise AgentsFileError(
                    f"{_where(path, line, index)}: this key already belongs to {owner.name!r}"
                )
            by_key[blob] = agent
        agents.append(agent)
    return AgentsFile(agents=tuple(agents), by_key=by_key)


def load_agents(path: Path) -> AgentsFile:
    """Read and parse the agents file at ``path``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AgentsFileError(
            f"{path}: no agents file; create it with one [[agent]] table per person "
            "(see docs/team-server.md)"
        ) from None
    except OSError as exc:
        raise AgentsFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AgentsFileError(f"{path}: not UTF-8 text") from None
    return parse_agents(text, path)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class AgentsWatcher:
    """The current agents, reloaded when the file's mtime, size or inode changes.

    A broken or vanished file is logged (with its line) and the last good
    version stays in force; ``last_error`` keeps the message for tests and status.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._signature = _signature(path)
        self.current = load_agents(path)
        self.last_error: str | None = None

    def check(self) -> bool:
        """Reload if the file changed; True when a new version was taken."""
        signature = _signature(self.path)
        if signature == self._signature:
            return False
        self._signature = signature
        try:
            loaded = load_agents(self.path)
        except AgentsFileError as exc:
            self.last_error = str(exc)
            logger.error("agents file not reloaded, keeping the previous one: %s", exc)
            return False
        self.current = loaded
        self.last_error = None
        logger.info("agents file reloaded: %d agent(s)", len(loaded.agents))
        return True
