"""What the inbox keeps on this machine: the :class:`LocalStore` interface and where it lives.

The Sendbee API has no drafts, no per-agent read marks, no UI settings and no
per-conversation composer choices, so the inbox keeps them locally.  The
service depends on the :class:`LocalStore` protocol only:

* :class:`sendbee_tui.store.AccountState` — the real one: one SQLite database
  per data directory (``state.sqlite3``), shared with the outbox and with any
  other app instance on the same account; opened by :func:`open_local_state`;
* :class:`MemoryState` — the in-memory stand-in for tests.

State is filed under the *account* (``Profile.account_key``: base URL and a
fingerprint of the API key), not the profile name, so the same account saved
under another profile name keeps its drafts and read marks.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sendbee_tui import store as local_db
from sendbee_tui.config import Paths, Profile, legacy_state_path

__all__ = ["PREVENT_BOT_OFF", "LocalStore", "MemoryState", "OpenedState", "open_local_state"]

log = logging.getLogger(__name__)

#: Per-conversation flag: replies to this conversation do not turn its chatbot off.
PREVENT_BOT_OFF = "prevent_bot_off"


class LocalStore(Protocol):
    """Drafts, read marks, settings and per-conversation flags of one account.

    Parameters are positional-only so that implementations may name them as
    they like.  Timestamps are epoch seconds.
    """

    def get_draft(self, conversation_id: str, /) -> str:
        """The saved composer text of a conversation ("" when none)."""
        ...

    def set_draft(self, conversation_id: str, text: str, /) -> None:
        """Remember the composer text ("" forgets it); called on every keystroke."""
        ...

    def mark_read(self, conversation_id: str, upto: float, /) -> None:
        """The agent has seen the conversation up to ``upto``."""
        ...

    def mark_unread(self, conversation_id: str, /) -> None:
        """Show the conversation unread until it is opened again."""
        ...

    def mark_all_read(self, upto: float, /) -> None:
        """Everything up to ``upto`` is read, also conversations not loaded yet."""
        ...

    def is_unread(self, conversation_id: str, last_inbound_at: float, /) -> bool:
        """True when the customer wrote after the read mark, or it was marked unread."""
        ...

    def get_setting(self, key: str, default: object = None, /) -> object:
        """A remembered UI setting (a JSON value), or ``default``."""
        ...

    def set_setting(self, key: str, value: object, /) -> None:
        """Remember a small JSON-serialisable UI setting."""
        ...

    def get_flag(self, conversation_id: str, flag: str, default: object = None, /) -> object:
        """A per-conversation value (``prevent_bot_off``, the media URL draft), or ``default``."""
        ...

    def set_flag(self, conversation_id: str, flag: str, value: object, /) -> None:
        """Set a per-conversation JSON value; ``None`` removes it."""
        ...

    def refresh_if_changed(self) -> bool:
        """Pick up what another app instance wrote; True when something was reloaded."""
        ...

    def flush(self) -> None:
        """Write pending changes now."""
        ...

    def close(self) -> None:
        """Flush and release resources; the app calls it once, on exit."""
        ...


class MemoryState:
    """In-memory :class:`LocalStore` (tests of the service without a database).

    A conversation never opened counts as read up to the moment this state was
    created, so a first start does not flag every old conversation unread.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._baseline = clock()
        self._read: dict[str, float] = {}
        self._unread: set[str] = set()
        self._drafts: dict[str, str] = {}
        self._settings: dict[str, object] = {}
        self._flags: dict[tuple[str, str], object] = {}

    def get_draft(self, conversation_id: str) -> str:
        return self._drafts.get(conversation_id, "")

    def set_draft(self, conversation_id: str, text: str) -> None:
        if text:
            self._drafts[conversation_id] = text
        else:
            self._drafts.pop(conversation_id, None)

    def mark_read(self, conversation_id: str, upto: float) -> None:
        self._unread.discard(conversation_id)
        self._read[conversation_id] = max(self._read.get(conversation_id, 0.0), upto)

    def mark_unread(self, conversation_id: str) -> None:
        self._unread.add(conversation_id)

    def mark_all_read(self, upto: float) -> None:
        # The same rule as AccountState: move the baseline, forget what it covers.
        self._baseline = max(self._baseline, upto)
        self._read = {k: v for k, v in self._read.items() if v > self._baseline}
        self._unread.clear()

    def is_unread(self, conversation_id: str, last_inbound_at: float) -> bool:
        if conversation_id in self._unread:
            return True
        return last_inbound_at > self._read.get(conversation_id, self._baseline)

    def get_setting(self, key: str, default: object = None) -> object:
        return self._settings.get(key, default)

    def set_setting(self, key: str, value: object) -> None:
        self._settings[key] = value

    def get_flag(self, conversation_id: str, flag: str, default: object = None) -> object:
        return self._flags.get((conversation_id, flag), default)

    def set_flag(self, conversation_id: str, flag: str, value: object) -> None:
        if value is None:
            self._flags.pop((conversation_id, flag), None)
        else:
            self._flags[(conversation_id, flag)] = value

    def refresh_if_changed(self) -> bool:
        """Nobody else writes here."""
        return False

    def flush(self) -> None:
        """Nothing to write."""

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class OpenedState:
    """What :func:`open_local_state` opened: the database, the account's state, a warning."""

    store: local_db.LocalStore
    state: local_db.AccountState
    #: For the agent when the data directory could not be used (else None).
    notice: str | None = None


def open_local_state(paths: Paths, profile: Profile, clock: Callable[[], float]) -> OpenedState:
    """Open ``<data_dir>/state.sqlite3`` and the state of ``profile``'s account.

    The old per-profile JSON file (``state/<profile>.json``) is imported into
    the account once (then renamed ``*.migrated``).  When the database cannot
    be opened at all (read-only directory, disk full, locked for longer than
    the busy timeout) the inbox still starts, on a database in a private temp
    directory, and says that drafts and queued replies will not survive a
    restart — rather than refusing to show the inbox.
    """
    notice = None
    try:
        db = local_db.LocalStore(paths.data_dir, clock=clock)
    except Exception as exc:
        log.exception("could not open the local database in %s", paths.data_dir)
        temporary = tempfile.mkdtemp(prefix="sendbee-tui-")
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        db = local_db.LocalStore(temporary, clock=clock)
        notice = (
            f"Local database unavailable ({type(exc).__name__}): drafts, read marks and "
            "queued replies are kept only until you quit."
        )
    state = db.account(profile.account_key)
    try:
        state.import_legacy_json(legacy_state_path(paths, profile.name))
    except Exception:  # an old file must never keep the inbox from starting
        log.exception("could not import the old state file of profile %r", profile.name)
    return OpenedState(db, state, notice)
