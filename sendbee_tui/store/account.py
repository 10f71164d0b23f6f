"""Drafts, read marks, settings and conversation flags of one account, in the shared database.

Same API as the per-profile JSON state it replaced (``state/<profile>.json``),
so the UI switches by changing one constructor call.  What differs:

* Several app instances on one account share the state.  Every write is a
  small transaction; a read is served from memory (``is_unread`` runs for every
  rendered row) and the memory is reloaded when another connection changed
  this account — checked by :meth:`AccountState.refresh_if_changed` (one
  pragma when nothing changed), which reads also call at most once per
  ``auto_refresh`` seconds.
* Only drafts are throttled (the composer saves on every keystroke): they reach
  the database at most ``debounce`` seconds after the first unsaved change, in
  a timer thread.  Read marks, settings and flags are written at once — they
  change on a deliberate action, not per keystroke.
* Per-conversation flags (``prevent_bot_off`` and the like) are new.

Two instances editing the *same* draft: the last save wins for that one
conversation (the composer of each shows its own text until it reloads).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .account_drafts import AccountDrafts
from .account_read_marks import AccountReadMarks

__all__ = ["AccountState"]


class AccountState(AccountDrafts, AccountReadMarks):
    """Local state of one account (get it from :meth:`LocalStore.account`).

    Loading and syncing with the database: :class:`~.account_sync.AccountSync`;
    drafts: :class:`~.account_drafts.AccountDrafts`; read marks:
    :class:`~.account_read_marks.AccountReadMarks`; settings and flags here.
    """

    def __repr__(self) -> str:
        return f"AccountState(account={self.account!r})"

    def __enter__(self) -> AccountState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ settings and flags

    def get_setting(self, key: str, default: Any = None) -> Any:
        self._maybe_refresh()
        with self._lock:
            return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Remember a small JSON-serialisable value (last folder, sort order, ...)."""
        encoded = json.dumps(value)  # fails here, in the caller
        with self._lock:
            if self._settings.get(key, object()) == value:
                return
            self._settings[key] = json.loads(encoded)
        self._write(
            "INSERT INTO settings(account, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT(account, key) DO UPDATE SET value = excluded.value",
            (self.account, key, encoded),
        )

    def get_flag(self, conversation_id: str, flag: str, default: Any = None) -> Any:
        """A per-conversation value (e.g. ``prevent_bot_off``), ``default`` when unset."""
        self._maybe_refresh()
        with self._lock:
            return self._flags.get((conversation_id, flag), default)

    def set_flag(self, conversation_id: str, flag: str, value: Any) -> None:
        """Set a JSON-serialisable per-conversation value; ``None`` removes it."""
        key = (conversation_id, flag)
        if value is None:
            with self._lock:
                if self._flags.pop(key, None) is None:
                    return
            self._write(
                "DELETE FROM conversation_flags WHERE account = ? AND conversation_id = ?"
                " AND flag = ?",
                (self.account, *key),
            )
            return
        encoded = json.dumps(value)
        with self._lock:
            if self._flags.get(key, object()) == value:
                return
            self._flags[key] = json.loads(encoded)
        self._write(
            "INSERT INTO conversation_flags(account, conversation_id, flag, value)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(account, conversation_id, flag)"
            " DO UPDATE SET value = excluded.value",
            (self.account, *key, encoded),
        )

    def flagged(self, flag: str) -> set[str]:
        """Conversations whose ``flag`` is set to a truthy value."""
        self._maybe_refresh()
        with self._lock:
            return {c for (c, f), v in self._flags.items() if f == flag and v}

    # ------------------------------------------------------------------ migration

    def import_legacy_json(self, path: Path | str) -> bool:
        """Carry an old ``state/<profile>.json`` into this account once; see :mod:`.legacy`."""
        from .legacy import import_legacy_json

        imported = import_legacy_json(self, Path(path))
        if imported:
            self._reload()
        return imported
