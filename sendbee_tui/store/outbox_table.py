"""Row-level access to the outbox table: every change its own committed transaction.

The outbox engine (:mod:`sendbee_tui.outbox`) decides *what* happens; this
module only makes each decision durable and race-free:

* a state change is a compare-and-set (``WHERE state IN (...)``), so two
  processes (or a late answer and a recovery) cannot both move one entry;
* "mark sending" can require holding the account's sender lease, so only one
  process ever puts a request on the wire for an account;
* a server message id can be claimed by one entry only (a unique index), so
  two identical replies ("ok", "ok") are matched to two different messages.

Rows are plain dicts (:class:`OutboxRow`) so the store does not depend on the
outbox package.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from .database import LocalStore

__all__ = ["COLUMNS", "OutboxRow", "OutboxTable"]


class OutboxRow(TypedDict):
    """One outbox entry as stored (``payload`` decoded from JSON)."""

    seq: int
    id: str
    account: str
    conversation_id: str | None
    phone: str
    kind: str
    payload: dict[str, Any]
    state: str
    created_at: float
    attempted_at: float | None
    updated_at: float
    error: str | None
    server_message_id: str | None
    attempts: int
    look_first: bool


COLUMNS = (
    "seq",
    "id",
    "account",
    "conversation_id",
    "phone",
    "kind",
    "payload",
    "state",
    "created_at",
    "attempted_at",
    "updated_at",
    "error",
    "server_message_id",
    "attempts",
    "look_first",
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM outbox"
_CHANGEABLE = frozenset(COLUMNS) - {"seq", "id", "account", "created_at"}


def _row(values: tuple[Any, ...]) -> OutboxRow:
    data = dict(zip(COLUMNS, values, strict=True))
    data["payload"] = json.loads(data["payload"])
    data["look_first"] = bool(data["look_first"])
    row: OutboxRow = OutboxRow(**data)  # type: ignore[typeddict-item]
    return row


def _placeholders(values: Collection[Any]) -> str:
    return ", ".join("?" * len(values))


class OutboxTable:
    """The outbox rows of one account."""

    def __init__(self, store: LocalStore, account: str) -> None:
        self.store = store
        self.account = account
        self._revision_name = f"outbox:{account}"

    def _bump(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO revisions(name, value) VALUES (?, 1)"
            " ON CONFLICT(name) DO UPDATE SET value = value + 1",
            (self._revision_name,),
        )

    def revision(self) -> int:
        """A number that changes with every write to this account's outbox (by anyone).

        Lets a mirror skip reloading when another connection committed
        something else (a draft, a read mark).
        """
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT value FROM revisions WHERE name = ?", (self._revision_name,)
            ).fetchone()
        return 0 if row is None else int(row[0])

    def __repr__(self) -> str:
        return f"OutboxTable(account={self.account!r})"

    def insert(
        self,
        *,
        id: str,
        conversation_id: str | None,
        phone: str,
        kind: str,
        payload: Mapping[str, Any],
        state: str,
        created_at: float,
    ) -> OutboxRow:
        """Add a new entry, durable when this returns (the caller may then send it)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO outbox(id, account, conversation_id, phone, kind, payload, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    id,
                    self.account,
                    conversation_id,
                    phone,
                    kind,
                    json.dumps(dict(payload)),
                    state,
                    created_at,
                    created_at,
                ),
            )
            self._bump(conn)
            return _row(conn.execute(f"{_SELECT} WHERE id = ?", (id,)).fetchone())

    def get(self, id: str) -> OutboxRow | None:
        with self.store.reading() as conn:
            values = conn.execute(
                f"{_SELECT} WHERE id = ? AND account = ?", (id, self.account)
            ).fetchone()
        return None if values is None else _row(values)

    def rows(self, states: Collection[str] | None = None) -> list[OutboxRow]:
        """Entries in creation order, optionally only those in ``states``."""
        sql, params = f"{_SELECT} WHERE account = ?", [self.account]
        if states is not None:
            sql += f" AND state IN ({_placeholders(states)})"
            params += list(states)
        with self.store.reading() as conn:
            return [_row(v) for v in conn.execute(sql + " ORDER BY seq", params)]

    def transition(
        self,
        id: str,
        from_states: Collection[str],
        *,
        lease: tuple[str, str] | None = None,
        durable: bool = True,
        **changes: Any,
    ) -> OutboxRow | None:
        """Apply ``changes`` if the entry is in one of ``from_states``; the new row, else None.

        ``lease=(name, owner)``: only while ``owner`` holds the unexpired lease.
        ``durable=False``: no fsync for this commit (see :meth:`LocalStore.transaction`).
        Setting a ``server_message_id`` that another entry of the account has
        already claimed raises :class:`sqlite3.IntegrityError` (nothing changes).
        """
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"cannot change outbox columns {sorted(unknown)}")
        if "payload" in changes:
            changes["payload"] = json.dumps(dict(changes["payload"]))
        if "look_first" in changes:
            changes["look_first"] = int(bool(changes["look_first"]))
        changes.setdefault("updated_at", self.store.clock())
        assignments = ", ".join(f"{name} = ?" for name in changes)
        sql = (
            f"UPDATE outbox SET {assignments} WHERE id = ? AND account = ?"
            f" AND state IN ({_placeholders(from_states)})"
        )
        params: list[Any] = [*changes.values(), id, self.account, *from_states]
        if lease is not None:
            sql += (
                " AND EXISTS (SELECT 1 FROM leases WHERE name = ? AND owner = ? AND expires_at > ?)"
            )
            params += [*lease, self.store.clock()]
        with self.store.transaction(durable=durable) as conn:
            if conn.execute(sql, params).rowcount != 1:
                return None
            self._bump(conn)
            return _row(conn.execute(f"{_SELECT} WHERE id = ?", (id,)).fetchone())

    def delete(self, id: str, from_states: Collection[str]) -> OutboxRow | None:
        """Remove the entry if it is in one of ``from_states``; the removed row, else None."""
        with self.store.transaction() as conn:
            states = _placeholders(from_states)
            sql = f"{_SELECT} WHERE id = ? AND account = ? AND state IN ({states})"
            values = conn.execute(sql, (id, self.account, *from_states)).fetchone()
            if values is None:
                return None
            conn.execute("DELETE FROM outbox WHERE id = ?", (id,))
            self._bump(conn)
            return _row(values)

    def claimed_ids(self) -> set[str]:
        """Server message ids already matched to an entry of this account."""
        with self.store.reading() as conn:
            return {
                r[0]
                for r in conn.execute(
                    "SELECT server_message_id FROM outbox WHERE account = ?"
                    " AND server_message_id IS NOT NULL",
                    (self.account,),
                )
            }

    def prune(self, states: Collection[str], older_than: float) -> int:
        """Delete entries in ``states`` last changed before ``older_than``; how many."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                f"DELETE FROM outbox WHERE account = ? AND state IN ({_placeholders(states)})"
                " AND updated_at < ?",
                (self.account, *states, older_than),
            )
            if cursor.rowcount:
                self._bump(conn)
            return cursor.rowcount
