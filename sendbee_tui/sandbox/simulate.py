"""Customers writing in at random intervals, so a demo inbox visibly lives."""

# ruff: noqa: RUF001, RUF002 - demo data is multilingual on purpose

from __future__ import annotations

import asyncio
import logging
import random

from sendbee_tui.sandbox import demo
from sendbee_tui.sandbox.domain import Sandbox

log = logging.getLogger(__name__)

NEW_CUSTOMERS = [
    "Marija Novak",
    "Tomislav Perić",
    "Sofía Martín",
    "Ахмед Алиев",
    "佐々木 葵",
    "Noah 🚀",
    "Aisha Rahman",
    "Lukas Bauer",
    "Chiara Romano",
    "Oğuz Yılmaz",
]


class Simulator:
    """Every ``interval`` seconds (jittered ×0.5–1.5) one customer sends a message.

    Mostly existing, recently active conversations; sometimes a brand-new number,
    which creates a contact and a conversation like a real first contact would.
    """

    def __init__(self, sandbox: Sandbox, *, interval: float, seed: int | None = None) -> None:
        self.sandbox = sandbox
        self.interval = max(0.05, interval)
        self.rng = random.Random(seed)
        self.sent = 0

    def step(self) -> None:
        """Deliver one simulated inbound message."""
        s = self.sandbox
        with s.store.read() as conn:
            rows = conn.execute(
                "SELECT c.phone, c.name FROM conversations v JOIN contacts c ON c.id = v.contact_id"
                " WHERE v.folder != 'spam' ORDER BY v.last_activity_at DESC LIMIT 30"
            ).fetchall()
        if rows and self.rng.random() < 0.75:
            phone, name = self.rng.choice(rows)
            name = None
        else:
            phone = f"+3859{self.rng.randint(10_000_000, 99_999_999)}"
            if demo.unreachable(phone):
                phone = phone[:-1] + "1"
            name = self.rng.choice(NEW_CUSTOMERS)
        s.inbound(phone=phone, text=self.rng.choice(demo.INBOUND_TEXTS), name=name)
        self.sent += 1

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval * self.rng.uniform(0.5, 1.5))
            try:
                self.step()
            except Exception:
                log.exception("simulated inbound failed")
