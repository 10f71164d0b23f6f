"""Local state in one SQLite database: drafts, read marks, settings, flags and the outbox.

``LocalStore(data_dir)`` opens ``<data_dir>/state.sqlite3`` (WAL, mode 0600);
``store.account(key)`` gives the :class:`AccountState` of one account (the API
of the per-profile JSON state it replaced), ``store.outbox_table(key)``
the durable rows the outbox engine works on.  Several app instances may open
the same file: writes are short transactions and reads refresh from it.

No Textual and no sandbox here: the store also serves a future team server.
"""

from __future__ import annotations

from .account import AccountState
from .database import DB_FILE_NAME, SCHEMA_VERSION, LocalStore, owner_id
from .legacy import MIGRATED_SUFFIX, import_legacy_json
from .outbox_table import OutboxRow, OutboxTable

__all__ = [
    "DB_FILE_NAME",
    "MIGRATED_SUFFIX",
    "SCHEMA_VERSION",
    "AccountState",
    "LocalStore",
    "OutboxRow",
    "OutboxTable",
    "import_legacy_json",
    "owner_id",
]
