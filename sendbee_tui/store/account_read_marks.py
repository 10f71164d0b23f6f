"""Read marks of one account: what the agent has seen, and what counts as unread.

A conversation is unread when the customer wrote after the agent's read mark
(or, never opened, after the account's ``baseline``), or when it was marked
unread by hand.  Marks are written at once: they change on a deliberate action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from .account_sync import AccountSync


def _timestamp(value: datetime | float | None) -> float | None:
    """Seconds since the epoch; naive datetimes are taken as UTC (the API's zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


class AccountReadMarks(AccountSync):
    """Read marks, hand-set unread marks and the baseline (part of ``AccountState``)."""

    @property
    def baseline(self) -> datetime:
        """Inbound messages older than this count as read for never-opened conversations."""
        return datetime.fromtimestamp(self._baseline, tz=timezone.utc)

    def mark_read(self, conversation_id: str, upto: datetime | float | None = None) -> None:
        """The agent has seen ``conversation_id`` up to ``upto`` (default: now).

        Read marks only move forward (also in SQL, so a slower instance cannot
        move one back); an explicit :meth:`mark_unread` is undone.
        """
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            old = self._read_upto.get(conversation_id)
            if conversation_id not in self._marked_unread and old is not None and ts <= old:
                return
            self._marked_unread.discard(conversation_id)
            if old is None or ts > old:
                self._read_upto[conversation_id] = ts
        key = (self.account, conversation_id)
        self._write(
            "INSERT INTO read_marks(account, conversation_id, read_upto) VALUES (?, ?, ?)"
            " ON CONFLICT(account, conversation_id)"
            " DO UPDATE SET read_upto = max(read_upto, excluded.read_upto)",
            (*key, ts),
            ("DELETE FROM manual_unread WHERE account = ? AND conversation_id = ?", key),
        )

    def mark_unread(self, conversation_id: str) -> None:
        """Show ``conversation_id`` as unread until it is opened (``u`` in the inbox)."""
        with self._lock:
            if conversation_id in self._marked_unread:
                return
            self._marked_unread.add(conversation_id)
        self._write(
            "INSERT OR IGNORE INTO manual_unread(account, conversation_id) VALUES (?, ?)",
            (self.account, conversation_id),
        )

    def mark_all_read(self, upto: datetime | float | None = None) -> None:
        """Everything up to ``upto`` (default now) is read: moves the baseline, drops marks."""
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            self._baseline = max(self._baseline, ts)
            self._read_upto = {k: v for k, v in self._read_upto.items() if v > self._baseline}
            self._marked_unread.clear()
        account = (self.account,)
        self._write(
            "UPDATE accounts SET baseline = max(baseline, ?) WHERE account = ?",
            (ts, self.account),
            (
                "DELETE FROM read_marks WHERE account = ? AND read_upto <= "
                "(SELECT baseline FROM accounts WHERE account = ?)",
                account * 2,
            ),
            ("DELETE FROM manual_unread WHERE account = ?", account),
        )

    def shift_times(self, delta: float) -> None:
        """Move every read mark and the baseline ``delta`` seconds later.

        For the demo: when its saved sandbox database is shifted to "now" at
        start, read marks shifted alike keep read conversations read.
        """
        if not delta:
            return
        with self._lock:
            self._baseline += delta
            self._read_upto = {k: v + delta for k, v in self._read_upto.items()}
        self._write(
            "UPDATE accounts SET baseline = baseline + ? WHERE account = ?",
            (delta, self.account),
            (
                "UPDATE read_marks SET read_upto = read_upto + ? WHERE account = ?",
                (delta, self.account),
            ),
        )

    def is_unread(self, conversation_id: str, last_inbound_at: datetime | float | None) -> bool:
        """True when the customer wrote after the agent last read, or it was marked unread."""
        self._maybe_refresh()
        with self._lock:
            if conversation_id in self._marked_unread:
                return True
            ts = _timestamp(last_inbound_at)
            if ts is None:
                return False
            return ts > self._read_upto.get(conversation_id, self._baseline)

    def unread_ids(
        self, last_inbound: Mapping[str, datetime | float | None] | Iterable[tuple[str, Any]] = ()
    ) -> set[str]:
        """Ids among ``last_inbound`` (conversation id -> last inbound time) that are unread,
        plus every conversation marked unread by hand."""
        items = last_inbound.items() if isinstance(last_inbound, Mapping) else last_inbound
        self._maybe_refresh()
        with self._lock:
            result = set(self._marked_unread)
            for conversation_id, ts in items:
                if self.is_unread(conversation_id, ts):
                    result.add(conversation_id)
            return result
