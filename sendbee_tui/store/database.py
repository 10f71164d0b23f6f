"""The one SQLite file that holds everything local: ``<data_dir>/state.sqlite3``.

Why SQLite in WAL mode rather than the JSON file per profile it replaces:

* **Two app instances on one account** (two terminals, two SSH sessions) now
  share state instead of the last writer silently winning: every change is a
  small transaction, readers never block the writer (WAL) and writers wait for
  each other (``busy_timeout``) instead of failing.
* **The outbox must be durable at once.**  A reply whose request may already
  have left must be on disk *before* it leaves, or a crash could forget it
  and the agent would send it again.  One committed transaction per state
  change gives that for ``kill -9``; ``synchronous=FULL`` (the default here)
  also for a power cut.
* Rewriting a 500 kB JSON file twice a second was the cost of many read marks;
  a row update costs the same whatever the size.

The file is created with mode 0600 in a 0700 directory before SQLite opens it
(drafts and queued replies are customer conversations); SQLite gives its
``-wal``/``-shm`` companions the same mode as the database file.

One :class:`sqlite3.Connection` per :class:`LocalStore`, shared by the UI loop,
the draft timer thread and the outbox, behind one lock: every statement here is
short, so a lock is simpler and cheaper than a connection per thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sendbee_tui.config import ensure_private_dir

if TYPE_CHECKING:
    from .account import AccountState
    from .outbox_table import OutboxTable

__all__ = ["DB_FILE_NAME", "SCHEMA_VERSION", "LocalStore", "owner_id"]

logger = logging.getLogger(__name__)

DB_FILE_NAME = "state.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    account TEXT PRIMARY KEY,
    baseline REAL NOT NULL,
    created_at REAL NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS drafts (
    account TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (account, conversation_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS read_marks (
    account TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    read_upto REAL NOT NULL,
    PRIMARY KEY (account, conversation_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS manual_unread (
    account TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (account, conversation_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversation_flags (
    account TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    flag TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account, conversation_id, flag)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    conversation_id TEXT,
    phone TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempted_at REAL,
    updated_at REAL NOT NULL,
    error TEXT,
    server_message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    look_first INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_by_account ON outbox (account, state, seq);
CREATE UNIQUE INDEX IF NOT EXISTS outbox_claims
    ON outbox (account, server_message_id) WHERE server_message_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS revisions (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (or tighten an existing one) before SQLite opens it.

    SQLite would create it with the umask's mode, readable by the group on
    many systems; creating it first decides the mode of the companions too.
    """
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o600)


class LocalStore:
    """The local database of every account: open once per process, share freely.

    ``busy_timeout`` is how long a write waits for another process's write
    before failing; ``fsync=False`` trades power-cut durability for speed
    (``synchronous=NORMAL``, still safe against a killed process) for tests
    and benchmarks.  ``clock`` is the Unix time used for timestamps and leases.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        busy_timeout: float = 10.0,
        fsync: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(data_dir) / DB_FILE_NAME
        self.clock = clock
        self._lock = threading.RLock()
        self._accounts: dict[str, AccountState] = {}
        try:
            self._conn = self._open(busy_timeout, fsync)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked, read-only, disk full: not the file's fault
            # Not a database (or damaged beyond SQLite's reading): keep it for
            # inspection and start afresh rather than refusing to start at all.
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(clock())}")
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            logger.warning(
                "local database %s was unreadable (%s); moved to %s, starting afresh",
                self.path,
                exc,
                aside.name,
            )
            self._conn = self._open(busy_timeout, fsync)
        self._closed = False

    def __repr__(self) -> str:
        return f"LocalStore(path={str(self.path)!r})"

    def _open(self, busy_timeout: float, fsync: bool) -> sqlite3.Connection:
        _create_private_file(self.path)
        conn = sqlite3.connect(
            self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            self._synchronous = "FULL" if fsync else "NORMAL"
            self._current_synchronous = ""
            self._set_synchronous(self._synchronous)
            self._migrate()
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self) -> None:
        with self.transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} was written by a newer sendbee-tui (schema {version})"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # ------------------------------------------------------------------ connection

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed when the block ends without error.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes never
        deadlock upgrading a read to a write; the wait is ``busy_timeout``.
        ``durable=False`` skips the fsync of this commit (still safe against a
        killed process; a power cut may lose it, and the next durable commit
        syncs it too): for changes whose loss costs a re-check, not a resend.
        """
        with self._lock:
            self._set_synchronous(self._synchronous if durable else "NORMAL")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _set_synchronous(self, level: str) -> None:
        if level != self._current_synchronous:
            self._conn.execute(f"PRAGMA synchronous = {level}")
            self._current_synchronous = level

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for a read (one consistent snapshot per statement)."""
        with self._lock:
            yield self._conn

    def data_version(self) -> int:
        """A number that changes whenever *another* connection committed.

        Costs one pragma (microseconds): callers poll it to know when their
        in-memory caches went stale.
        """
        with self._lock:
            value: int = self._conn.execute("PRAGMA data_version").fetchone()[0]
            return value

    def close(self) -> None:
        """Close the connection (pending drafts of open accounts are flushed first)."""
        with self._lock:
            if self._closed:
                return
            for state in list(self._accounts.values()):
                state.close()
            self._closed = True
            self._conn.close()

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._closed

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ accounts

    def account(self, account: str, *, debounce: float = 0.5) -> AccountState:
        """The state of ``account`` (one object per account and store: caches stay coherent)."""
        from .account import AccountState

        with self._lock:
            state = self._accounts.get(account)
            if state is None:
                state = AccountState(self, account, debounce=debounce)
                self._accounts[account] = state
            return state

    def forget_account(self, account: str) -> None:
        """Delete everything kept for ``account``: drafts, marks, settings, flags, outbox.

        For starting over (the demo's ``--reset``, whose server data is thrown
        away too: its queued replies would have nowhere to go).  The next
        :meth:`account` call creates it afresh with a new baseline.
        """
        with self._lock:
            state = self._accounts.pop(account, None)
            if state is not None:
                state.close()
            with self.transaction() as conn:
                for table in (
                    "drafts",
                    "read_marks",
                    "manual_unread",
                    "settings",
                    "conversation_flags",
                    "outbox",
                    "accounts",
                ):
                    conn.execute(f"DELETE FROM {table} WHERE account = ?", (account,))
                # Bumped, not deleted: a mirror in another process must see a change.
                conn.execute(
                    "INSERT INTO revisions(name, value) VALUES (?, 1)"
                    " ON CONFLICT(name) DO UPDATE SET value = value + 1",
                    (f"outbox:{account}",),
                )
                conn.execute("DELETE FROM leases WHERE name = ?", (f"outbox:{account}",))

    def outbox_table(self, account: str) -> OutboxTable:
        """Row-level access to ``account``'s outbox (the outbox package builds on it)."""
        from .outbox_table import OutboxTable

        return OutboxTable(self, account)

    # ------------------------------------------------------------------ leases

    def try_lease(self, name: str, owner: str, ttl: float) -> bool:
        """Take or renew the lease ``name`` for ``ttl`` seconds; False if another owner holds it.

        A lease names the one process that may act for an account (send its
        outbox) among several on the same database.  An expired lease, or one
        whose owner is a dead process on this host, is taken over.
        """
        now = self.clock()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", (name,)
            ).fetchone()
            if row is not None and row[0] != owner and row[1] > now and _owner_alive(row[0]):
                return False
            conn.execute(
                "INSERT INTO leases(name, owner, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner,"
                " expires_at = excluded.expires_at",
                (name, owner, now + ttl),
            )
            return True

    def release_lease(self, name: str, owner: str) -> None:
        """Give up ``name`` if ``owner`` holds it (a clean shutdown lets others take over now)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))

    def lease_holder(self, name: str) -> str | None:
        """The owner of an unexpired lease ``name``, or None."""
        with self.reading() as conn:
            row = conn.execute(
                "SELECT owner FROM leases WHERE name = ? AND expires_at > ?", (name, self.clock())
            ).fetchone()
        return None if row is None else str(row[0])


def owner_id() -> str:
    """A lease owner name for this process: host, pid and a random part."""
    return f"{_HOST}:{os.getpid()}:{os.urandom(4).hex()}"


_HOST = os.uname().nodename if hasattr(os, "uname") else "localhost"


def _owner_alive(owner: str) -> bool:
    """False only when ``owner`` is provably a dead process on this host.

    A lease of a killed instance would otherwise block sending until it expires.
    """
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
