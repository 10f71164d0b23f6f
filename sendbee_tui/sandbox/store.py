"""SQLite storage for the sandbox: schema, connection, transactions, seeding, time shifts.

One connection, guarded by a lock: uvicorn runs handlers on its event loop while
tests and the simulator may call in from other threads, and sqlite3 objects must
not be used concurrently. Every write runs in a single ``BEGIN IMMEDIATE``
transaction, so a failing request never leaves a half-written row. WAL mode lets
an outside reader (``sqlite3`` CLI, a benchmark) look at the file meanwhile.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sendbee_tui.sandbox import demo

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tags (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS fields (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, type TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]', created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL UNIQUE,
    whatsapp_user_id TEXT, status TEXT NOT NULL, created_at REAL NOT NULL,
    modified_at REAL NOT NULL, has_messaging_consent INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS contacts_created ON contacts(created_at, seq);
CREATE INDEX IF NOT EXISTS contacts_wa ON contacts(whatsapp_user_id);
CREATE TABLE IF NOT EXISTS contact_tags (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id));
CREATE INDEX IF NOT EXISTS contact_tags_tag ON contact_tags(tag_id);
CREATE TABLE IF NOT EXISTS notes (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    value TEXT NOT NULL, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS notes_contact ON notes(contact_id);
CREATE TABLE IF NOT EXISTS contact_field_values (
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    field_id TEXT NOT NULL REFERENCES fields(id) ON DELETE CASCADE,
    value TEXT NOT NULL, PRIMARY KEY (contact_id, field_id));
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, contact_id TEXT NOT NULL UNIQUE REFERENCES contacts(id),
    folder TEXT NOT NULL, chatbot_active INTEGER NOT NULL, platform TEXT NOT NULL,
    created_at REAL NOT NULL, last_activity_at REAL NOT NULL, last_inbound_at REAL,
    last_outbound_at REAL, last_message_id TEXT);
DROP INDEX IF EXISTS conv_activity;
DROP INDEX IF EXISTS conv_folder_activity;
CREATE INDEX IF NOT EXISTS conv_order ON conversations(last_activity_at DESC, id);
CREATE INDEX IF NOT EXISTS conv_folder_order ON conversations(folder, last_activity_at DESC, id);
CREATE TABLE IF NOT EXISTS messages (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    body TEXT NOT NULL DEFAULT '', media_type TEXT NOT NULL, media_url TEXT,
    status TEXT NOT NULL, direction TEXT NOT NULL, sent_at REAL NOT NULL, fail_reason TEXT,
    from_user_id TEXT, to_user_id TEXT, reference_id TEXT,
    delivered_at REAL, read_at REAL, failed_at REAL, pending_at REAL,
    is_template INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS msg_id ON messages(id);
CREATE INDEX IF NOT EXISTS msg_conv_time ON messages(conversation_id, sent_at, n);
CREATE INDEX IF NOT EXISTS msg_pending ON messages(pending_at) WHERE pending_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS templates (
    id TEXT PRIMARY KEY, keyword TEXT NOT NULL, language TEXT NOT NULL, name TEXT NOT NULL,
    category TEXT NOT NULL, status TEXT NOT NULL, text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]', attachment TEXT, rejected_reason TEXT,
    seq INTEGER NOT NULL, UNIQUE (keyword, language));
CREATE TABLE IF NOT EXISTS teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, online INTEGER NOT NULL,
    available INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS team_members (
    team_id TEXT NOT NULL REFERENCES teams(id), member_id TEXT NOT NULL REFERENCES members(id),
    PRIMARY KEY (team_id, member_id));
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, active INTEGER NOT NULL,
    selected TEXT NOT NULL, secret_key TEXT NOT NULL, created_at REAL NOT NULL);
"""

#: Tables emptied by a reset, children first.
TABLES = [
    "contact_field_values",
    "contact_tags",
    "notes",
    "messages",
    "conversations",
    "contacts",
    "tags",
    "fields",
    "templates",
    "team_members",
    "members",
    "teams",
    "webhooks",
    "meta",
]


def _fold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _digits(value: str | None) -> str | None:
    return "".join(ch for ch in value if ch.isdigit()) if isinstance(value, str) else value


class Store:
    """The sandbox database. Thread-safe; all methods take the connection lock."""

    def __init__(self, path: str, clock: Callable[[], float]) -> None:
        self.path = path
        self.clock = clock
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_function("fold", 1, _fold, deterministic=True)
        self._conn.create_function("digits", 1, _digits, deterministic=True)
        try:  # list pages are rendered by SQLite's JSON functions (domain/sqljson.py)
            self._conn.execute("SELECT json_object('a', json_group_array(1))").fetchone()
        except sqlite3.OperationalError as exc:
            self._conn.close()
            raise RuntimeError(
                "the sandbox needs SQLite with JSON functions (3.38+),"
                f" not {sqlite3.sqlite_version}"
            ) from exc
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a database written by an earlier sandbox version up to the current schema."""
        columns = {r[1] for r in self._conn.execute("PRAGMA table_info(messages)")}
        if "is_template" not in columns:
            self._conn.execute(
                "ALTER TABLE messages ADD COLUMN is_template INTEGER NOT NULL DEFAULT 0"
            )

    # -- plumbing -------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any exception."""
        with self.lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Consistent reads: under the lock, so no write interleaves."""
        with self.lock:
            yield self._conn

    def close(self) -> None:
        with self.lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self._conn.close()

    def is_empty(self) -> bool:
        with self.read() as conn:
            return bool(conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == 0) and (
                conn.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0
            )

    def seed(self, *, seed: int, size: demo.DemoSize, wipe: bool = False) -> None:
        """(Re)create the demo data in one transaction."""
        with self.write() as conn:
            if wipe:
                for table in TABLES:
                    conn.execute(f"DELETE FROM {table}")
            # Building the big indexes once after the bulk insert is several times
            # faster than maintaining them row by row (matters for benchmark sizes).
            conn.execute("DROP INDEX IF EXISTS msg_conv_time")
            conn.execute("DROP INDEX IF EXISTS msg_id")
            demo.generate(conn, seed=seed, now=self.clock(), size=size)
            conn.execute("CREATE UNIQUE INDEX msg_id ON messages(id)")
            conn.execute("CREATE INDEX msg_conv_time ON messages(conversation_id, sent_at, n)")
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('seeded_at', ?)",
                (str(self.clock()),),
            )

    #: Every stored Unix timestamp, by table.
    TIME_COLUMNS = {
        "tags": ["created_at"],
        "fields": ["created_at"],
        "contacts": ["created_at", "modified_at"],
        "notes": ["created_at"],
        "conversations": ["created_at", "last_activity_at", "last_inbound_at", "last_outbound_at"],
        "messages": ["sent_at", "delivered_at", "read_at", "failed_at", "pending_at"],
        "webhooks": ["created_at"],
    }

    def rebase_time(self, *, slack: float = 60.0) -> float:
        """Shift all timestamps so the latest activity was ``slack`` seconds ago.

        A demo database kept between launches would otherwise age: after a day
        every 24-hour window is closed and nothing looks recent. Shifting the
        whole data set by one offset keeps every relative time (message order,
        gaps, which windows are open relative to each other). Returns the shift.

        The shift is a whole number of seconds: the API reports times in whole
        seconds, so a fractional shift could round a conversation's last message
        past a client's equally shifted read mark and make it unread again.
        """
        with self.write() as conn:
            latest = conn.execute("SELECT MAX(last_activity_at) FROM conversations").fetchone()[0]
            if latest is None:
                return 0.0
            delta = float(math.floor(self.clock() - slack - latest))
            if delta <= 0:
                return 0.0
            for table, columns in self.TIME_COLUMNS.items():
                sets = ", ".join(f"{c} = {c} + :d" for c in columns)
                conn.execute(f"UPDATE {table} SET {sets}", {"d": delta})
            return delta
