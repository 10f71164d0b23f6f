"""Team state that must survive a restart: conversation claims and the audit trail.

SQLite on the host (one small file, WAL, mode 0600).  The audit trail records
who did what to which conversation and when, never what was written: message
text is customer data and stays in Sendbee.

A claim says "I am handling this conversation".  It belongs to an agent (by
slug, so all of one agent's sessions share it), lasts until released, taken
over with ``force``, or the conversation is moved to *done* through the hub.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sendbee_tui.config import ensure_private_dir
from sendbee_tui.team.agents import Agent

__all__ = ["AuditEntry", "Claim", "ClaimConflict", "TeamStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    conversation_id TEXT PRIMARY KEY,
    agent_slug TEXT NOT NULL,
    agent_name TEXT NOT NULL,
    member_id TEXT NOT NULL,
    claimed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    agent_slug TEXT NOT NULL,
    agent_name TEXT NOT NULL,
    action TEXT NOT NULL,
    conversation_id TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_conversation ON audit(conversation_id);
"""


@dataclass(frozen=True)
class Claim:
    conversation_id: str
    agent_slug: str
    agent_name: str
    member_id: str
    claimed_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "agent": self.agent_name,
            "member_id": self.member_id,
            "claimed_at": int(self.claimed_at),
        }


@dataclass(frozen=True)
class AuditEntry:
    at: float
    agent_slug: str
    agent_name: str
    action: str
    conversation_id: str | None
    outcome: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class ClaimConflict(Exception):
    """Another agent holds the claim (and ``force`` was not given)."""

    def __init__(self, holder: Claim) -> None:
        super().__init__(f"{holder.agent_name} is handling this conversation")
        self.holder = holder


class TeamStore:
    """Claims and audit in one SQLite file; used from the server's event loop only."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        ensure_private_dir(path.parent)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    # -- claims -----------------------------------------------------------------------
    @staticmethod
    def _claim(row: sqlite3.Row | None) -> Claim | None:
        if row is None:
            return None
        return Claim(
            row["conversation_id"],
            row["agent_slug"],
            row["agent_name"],
            row["member_id"],
            row["claimed_at"],
        )

    def holder(self, conversation_id: str) -> Claim | None:
        row = self._conn.execute(
            "SELECT * FROM claims WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return self._claim(row)

    def claims(self) -> list[Claim]:
        rows = self._conn.execute("SELECT * FROM claims ORDER BY claimed_at").fetchall()
        return [c for c in (self._claim(r) for r in rows) if c is not None]

    def claim(
        self, conversation_id: str, agent: Agent, *, force: bool
    ) -> tuple[Claim, Claim | None]:
        """Claim for ``agent``; returns ``(claim, previous)``; raises :class:`ClaimConflict`.

        ``previous`` is None for a new claim, the claim itself when ``agent``
        already held it (the original time is kept), or the claim taken over.
        """
        held = self.holder(conversation_id)
        if held is not None and held.agent_slug == agent.slug:
            return held, held
        if held is not None and not force:
            raise ClaimConflict(held)
        claim = Claim(conversation_id, agent.slug, agent.name, agent.member_id, self._clock())
        self._conn.execute(
            "INSERT OR REPLACE INTO claims VALUES (?,?,?,?,?)",
            (
                claim.conversation_id,
                claim.agent_slug,
                claim.agent_name,
                claim.member_id,
                claim.claimed_at,
            ),
        )
        return claim, held

    def release(self, conversation_id: str, agent: Agent | None, *, force: bool) -> Claim | None:
        """Release; ``agent`` None (the hub itself) or ``force`` may release anyone's claim."""
        held = self.holder(conversation_id)
        if held is None:
            return None
        if agent is not None and held.agent_slug != agent.slug and not force:
            raise ClaimConflict(held)
        self._conn.execute("DELETE FROM claims WHERE conversation_id = ?", (conversation_id,))
        return held

    # -- audit ------------------------------------------------------------------------
    def record(
        self, agent: Agent, action: str, conversation_id: str | None, outcome: str
    ) -> AuditEntry:
        entry = AuditEntry(self._clock(), agent.slug, agent.name, action, conversation_id, outcome)
        self._conn.execute(
            "INSERT INTO audit(at, agent_slug, agent_name, action, conversation_id, outcome)"
            " VALUES (?,?,?,?,?,?)",
            (
                entry.at,
                entry.agent_slug,
                entry.agent_name,
                entry.action,
                entry.conversation_id,
                entry.outcome,
            ),
        )
        return entry

    def audit(self, limit: int = 100, conversation_id: str | None = None) -> list[AuditEntry]:
        """The most recent entries, newest first."""
        if conversation_id is None:
            rows = self._conn.execute(
                "SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        else:
            rows = self._conn.execute(
                "SELECT * FROM audit WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
                (conversation_id, limit),
            ).fetchall()
        return [
            AuditEntry(
                r["at"],
                r["agent_slug"],
                r["agent_name"],
                r["action"],
                r["conversation_id"],
                r["outcome"],
            )
            for r in rows
        ]
