"""Local, per-account state that the Sendbee API does not keep for us.

* **Drafts** per conversation: the composer calls :meth:`LocalState.set_draft`
  on every keystroke, so it only updates memory; the file is written by a
  background timer at most ``debounce`` seconds after the first unsaved change
  (a throttle, not a trailing debounce: continuous typing still gets saved
  twice a second).  A crash or a dropped SSH session therefore loses at most
  that window.  :meth:`flush` / :meth:`close` write immediately.  Measured on
  the dev machine: ``set_draft`` 0.4 µs; one write with fsync 0.7 ms for a
  typical file (35 kB), 4.4 ms with 10,000 read marks (470 kB) — fine twice a
  second in a background thread, wasteful on every keystroke on the UI loop.
* **Read marks**: the API has no per-agent read state, so "unread" is local:
  a conversation is unread when its last inbound message is newer than the
  agent's read mark for it, or when the agent marked it unread by hand.
  Conversations never seen before count from a *baseline* — the moment this
  state file was first created — so the first start against an account with
  years of history does not show thousands of unread conversations.
* **Settings** the UI wants to remember (last folder, sort order, ...).

One small JSON file per profile under ``<data_dir>/state/``, written
atomically (temp file + ``os.replace``, mode 0600: drafts are customer
conversations).  Safe to call from the Textual event loop and from worker
threads (one lock around the in-memory data); Textual is not imported.

Two app instances on the same profile do not merge: the last one to write wins.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sendbee_tui.config import atomic_write_private

logger = logging.getLogger(__name__)

STATE_VERSION = 1
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _timestamp(value: datetime | float | None) -> float | None:
    """Seconds since the epoch; naive datetimes are taken as UTC (the API's zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def state_file_name(profile_name: str) -> str:
    """File name for a profile's state; odd names are hashed so they cannot escape the dir."""
    if _SAFE_NAME.match(profile_name):
        return f"{profile_name}.json"
    digest = hashlib.sha256(profile_name.encode("utf-8")).hexdigest()[:16]
    return f"profile-{digest}.json"


class LocalState:
    """Drafts, read marks and UI settings of one profile, persisted under ``data_dir``.

    ``debounce`` is the longest time an unsaved change stays in memory only.
    ``clock`` returns the current Unix time (tests pass a fake one); it sets the
    baseline of a new state file and the default of :meth:`mark_read`.
    """

    def __init__(
        self,
        data_dir: Path | str,
        profile_name: str = "default",
        *,
        debounce: float = 0.5,
        clock: Callable[[], float] = time.time,
        fsync: bool = True,
    ) -> None:
        self.path = Path(data_dir) / "state" / state_file_name(profile_name)
        self.profile_name = profile_name
        self.debounce = debounce
        self._clock = clock
        self._fsync = fsync
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._version = 0  # bumped by every change
        self._saved_version = 0  # the version the file holds
        self._closed = False
        self._drafts: dict[str, str] = {}
        self._read_upto: dict[str, float] = {}
        self._marked_unread: set[str] = set()
        self._settings: dict[str, Any] = {}
        self._baseline: float = clock()
        self._load()

    # ------------------------------------------------------------------ persistence

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._version += 1  # record the baseline on the first flush
            return
        except OSError as exc:
            logger.warning("cannot read %s (%s); starting with empty local state", self.path, exc)
            return
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            self._baseline = float(data.get("baseline", self._baseline))
            self._drafts = {
                str(k): v for k, v in dict(data.get("drafts", {})).items() if isinstance(v, str)
            }
            self._read_upto = {str(k): float(v) for k, v in dict(data.get("read", {})).items()}
            self._marked_unread = {str(x) for x in data.get("unread", [])}
            self._settings = dict(data.get("settings", {}))
        except (ValueError, TypeError) as exc:
            # Keep the broken file for inspection instead of overwriting it.
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self._clock())}")
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            logger.warning(
                "local state file %s was unreadable (%s); moved to %s, starting afresh",
                self.path,
                exc,
                aside.name,
            )
            self._drafts, self._read_upto, self._marked_unread, self._settings = {}, {}, set(), {}
            self._version += 1

    def _snapshot(self) -> dict[str, Any]:
        # Shallow copies under the lock; serialising happens outside it so a
        # keystroke on the UI thread never waits for json.dumps.
        return {
            "version": STATE_VERSION,
            "baseline": self._baseline,
            "drafts": dict(self._drafts),
            "read": dict(self._read_upto),
            "unread": sorted(self._marked_unread),
            "settings": dict(self._settings),
        }

    def flush(self) -> None:
        """Write pending changes now (no-op when nothing changed)."""
        with self._write_lock:
            with self._lock:
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
                version = self._version
                if version == self._saved_version:
                    return
                snapshot = self._snapshot()
            try:
                data = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
                atomic_write_private(self.path, data.encode("utf-8"), fsync=self._fsync)
            except OSError as exc:
                # Kept pending: the next change, flush() or close() tries again.
                logger.warning("could not save local state to %s: %s", self.path, exc)
                return
            with self._lock:
                self._saved_version = version

    def close(self) -> None:
        """Flush and stop the timer; later changes are still saved (synchronously)."""
        with self._lock:
            self._closed = True
        self.flush()

    def __enter__(self) -> LocalState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _changed(self) -> bool:
        """Mark dirty and schedule a flush (call with the lock held).

        Returns True when the caller must flush right away (after releasing the
        lock): after :meth:`close`, or with ``debounce <= 0``.
        """
        self._version += 1
        if self._closed or self.debounce <= 0:
            return True
        if self._timer is None:
            timer = threading.Timer(self.debounce, self.flush)
            timer.daemon = True
            self._timer = timer
            timer.start()
        return False

    @property
    def pending(self) -> bool:
        """True when some change has not reached the file yet."""
        with self._lock:
            return self._version != self._saved_version

    # ------------------------------------------------------------------ drafts

    def get_draft(self, conversation_id: str) -> str:
        with self._lock:
            return self._drafts.get(conversation_id, "")

    def set_draft(self, conversation_id: str, text: str) -> None:
        """Remember the composer's text; cheap enough for every keystroke."""
        with self._lock:
            if text:
                if self._drafts.get(conversation_id) == text:
                    return
                self._drafts[conversation_id] = text
            elif self._drafts.pop(conversation_id, None) is None:
                return
            sync = self._changed()
        if sync:
            self.flush()

    def clear_draft(self, conversation_id: str) -> None:
        self.set_draft(conversation_id, "")

    def draft_ids(self) -> set[str]:
        """Conversations with a non-empty draft (for a "draft" mark in the list)."""
        with self._lock:
            return set(self._drafts)

    # ------------------------------------------------------------------ read marks

    @property
    def baseline(self) -> datetime:
        """Inbound messages older than this count as read for never-opened conversations."""
        return datetime.fromtimestamp(self._baseline, tz=timezone.utc)

    def mark_read(self, conversation_id: str, upto: datetime | float | None = None) -> None:
        """The agent has seen ``conversation_id`` up to ``upto`` (default: now).

        Read marks only move forward, so a late, older refresh cannot make a
        conversation unread again; an explicit :meth:`mark_unread` is undone.
        """
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            old = self._read_upto.get(conversation_id)
            changed = conversation_id in self._marked_unread or old is None or ts > old
            self._marked_unread.discard(conversation_id)
            if old is None or ts > old:
                self._read_upto[conversation_id] = ts
            if not changed:
                return
            sync = self._changed()
        if sync:
            self.flush()

    def mark_unread(self, conversation_id: str) -> None:
        """Show ``conversation_id`` as unread until it is opened (``u`` in the inbox)."""
        with self._lock:
            if conversation_id in self._marked_unread:
                return
            self._marked_unread.add(conversation_id)
            sync = self._changed()
        if sync:
            self.flush()

    def mark_all_read(self, upto: datetime | float | None = None) -> None:
        """Everything up to ``upto`` (default now) is read: moves the baseline, drops marks."""
        ts = _timestamp(upto)
        if ts is None:
            ts = self._clock()
        with self._lock:
            self._baseline = max(self._baseline, ts)
            self._read_upto = {k: v for k, v in self._read_upto.items() if v > self._baseline}
            self._marked_unread.clear()
            sync = self._changed()
        if sync:
            self.flush()

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
            sync = self._changed()
        if sync:
            self.flush()

    def is_unread(self, conversation_id: str, last_inbound_at: datetime | float | None) -> bool:
        """True when the customer wrote after the agent last read, or it was marked unread."""
        with self._lock:
            if conversation_id in self._marked_unread:
                return True
            ts = _timestamp(last_inbound_at)
            if ts is None:
                return False
            return ts > self._read_upto.get(conversation_id, self._baseline)

    def unread_ids(
        self,
        last_inbound: Mapping[str, datetime | float | None]
        | Iterable[tuple[str, datetime | float | None]] = (),
    ) -> set[str]:
        """Ids among ``last_inbound`` (conversation id -> last inbound time) that are unread,
        plus every conversation marked unread by hand."""
        items = last_inbound.items() if isinstance(last_inbound, Mapping) else last_inbound
        with self._lock:
            result = set(self._marked_unread)
            for conversation_id, ts in items:
                if self.is_unread(conversation_id, ts):
                    result.add(conversation_id)
            return result

    # ------------------------------------------------------------------ settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Remember a small JSON-serialisable value (last folder, sort order, ...)."""
        json.dumps(value)  # fail here, in the caller, not later in the timer thread
        with self._lock:
            if self._settings.get(key, object()) == value:
                return
            self._settings[key] = value
            sync = self._changed()
        if sync:
            self.flush()
