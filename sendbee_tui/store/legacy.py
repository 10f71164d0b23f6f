"""One-time import of the JSON state file (``state/<profile>.json``) the database replaces.

The import *merges* rather than overwrites, so running it on an account that
already has rows (a second profile on the same account, or a crash between the
commit and the rename) loses nothing: drafts and settings already in the
database win, read marks keep the later time, manually-unread sets are united,
and the baseline keeps the earlier time (the older file knew the account
longer).  After the commit the file is renamed to ``*.migrated`` so it is not
imported again but is still there if anyone needs to look.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .account import AccountState

__all__ = ["MIGRATED_SUFFIX", "import_legacy_json"]

logger = logging.getLogger(__name__)

MIGRATED_SUFFIX = ".migrated"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("cannot import old state file %s: %s", path, exc)
        return None
    if not isinstance(data, dict):
        logger.warning("cannot import old state file %s: not a JSON object", path)
        return None
    return data


def import_legacy_json(state: AccountState, path: Path) -> bool:
    """Merge ``path`` into ``state``'s account and rename it; True when something was imported.

    A missing file is the normal case (nothing to do); an unreadable one is
    left in place and logged.
    """
    data = _read(path)
    if data is None:
        return False
    account = state.account
    try:
        baseline = float(data.get("baseline", 0.0)) or None
        drafts = {str(k): v for k, v in dict(data.get("drafts", {})).items() if isinstance(v, str)}
        read = {str(k): float(v) for k, v in dict(data.get("read", {})).items()}
        unread = {str(x) for x in data.get("unread", [])}
        settings = {str(k): json.dumps(v) for k, v in dict(data.get("settings", {})).items()}
    except (TypeError, ValueError) as exc:
        logger.warning("cannot import old state file %s: %s", path, exc)
        return False
    now = state.store.clock()
    with state.store.transaction() as conn:
        if baseline is not None:
            conn.execute(
                "UPDATE accounts SET baseline = min(baseline, ?) WHERE account = ?",
                (baseline, account),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO drafts(account, conversation_id, text, updated_at)"
            " VALUES (?, ?, ?, ?)",
            [(account, c, text, now) for c, text in drafts.items() if text],
        )
        conn.executemany(
            "INSERT INTO read_marks(account, conversation_id, read_upto) VALUES (?, ?, ?)"
            " ON CONFLICT(account, conversation_id)"
            " DO UPDATE SET read_upto = max(read_upto, excluded.read_upto)",
            [(account, c, ts) for c, ts in read.items()],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO manual_unread(account, conversation_id) VALUES (?, ?)",
            [(account, c) for c in unread],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO settings(account, key, value) VALUES (?, ?, ?)",
            [(account, k, v) for k, v in settings.items()],
        )
        conn.execute("UPDATE accounts SET revision = revision + 1 WHERE account = ?", (account,))
    target = path.with_name(path.name + MIGRATED_SUFFIX)
    try:
        os.replace(path, target)
    except OSError as exc:
        # Harmless if imported again later: the merge is idempotent.
        logger.warning("imported %s but could not rename it: %s", path, exc)
    logger.info(
        "imported old state file %s (%d drafts, %d read marks)", path.name, len(drafts), len(read)
    )
    return True
