"""Webhook subscriptions: storing endpoints and answering "who wants this event?".

Delivery itself (signed POSTs, retries) is :mod:`sendbee_tui.sandbox.webhooks`,
which asks :meth:`Webhooks.targets` for the endpoints of each event.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from typing import Any

from sendbee_tui.sandbox.domain.base import Resource, fmt_ts, new_id


def webhook_json(r: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": r["id"],
        "url": r["url"],
        "active": bool(r["active"]),
        "selected_webhooks": json.loads(r["selected"]),
        "secret_key": r["secret_key"],
        "created_at": fmt_ts(r["created_at"]),
    }


class Webhooks(Resource):
    """``/webhooks/subscribe``: one event per call; the same URL again adds the event."""

    def subscribe(self, url: str, event: str) -> dict[str, Any]:
        with self.store.write() as conn:
            row = conn.execute("SELECT * FROM webhooks WHERE url = ?", (url,)).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO webhooks(id, url, active, selected, secret_key, created_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (new_id(), url, 1, json.dumps([event]), secrets.token_hex(16), self.clock()),
                )
            else:
                selected = json.loads(row["selected"])
                if event not in selected:
                    selected.append(event)
                conn.execute(
                    "UPDATE webhooks SET selected = ?, active = 1 WHERE id = ?",
                    (json.dumps(selected), row["id"]),
                )
            row = conn.execute("SELECT * FROM webhooks WHERE url = ?", (url,)).fetchone()
        return webhook_json(row)

    def targets(self, event: str) -> list[dict[str, Any]]:
        """The active endpoints subscribed to ``event``."""
        with self.store.read() as conn:
            rows = conn.execute("SELECT * FROM webhooks WHERE active = 1").fetchall()
        return [webhook_json(r) for r in rows if event in json.loads(r["selected"])]
