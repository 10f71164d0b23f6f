"""The demo: the sandbox started in-process on a loopback port, with saved demo data.

``sendbee-tui --demo`` (or a first run with no credentials anywhere) starts it
through :func:`start_demo`; the sandbox and the local store are imported only
then, so the inbox for a real account never loads them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sendbee_tui.config import Paths, Profile, ensure_private_dir, legacy_state_path

__all__ = [
    "DEMO_ACCOUNT",
    "DEMO_SIMULATE_SECONDS",
    "DEMO_UNREAD_WINDOW",
    "demo_db_path",
    "start_demo",
]

#: Seconds between simulated customer messages in the demo (on average).
DEMO_SIMULATE_SECONDS = 15.0
#: In a brand-new demo, conversations with customer messages from the last
#: this-many seconds start out unread, so the unread marks are visible at once.
DEMO_UNREAD_WINDOW = 3 * 3600.0
#: The demo's local state is filed under this account key (its port changes every run).
DEMO_ACCOUNT = "demo"


def demo_db_path(paths: Paths) -> Path:
    return paths.data_dir / "demo" / "sandbox.sqlite3"


def start_demo(
    paths: Paths,
    *,
    simulate: float | None,
    reset: bool = False,
    clock: Callable[[], float] = time.time,
) -> tuple[Any, Profile]:
    """Start the demo sandbox in-process; returns ``(server, profile)``.

    The demo database lives in the data dir, so what the user does in the demo
    (sent messages, drafts, read marks) is still there next time; ``reset``
    starts over.  A new database gets demo data relative to "now"; a saved one
    is shifted in time so that its latest activity was a minute ago (24-hour
    windows stay alive), and the demo's read marks are shifted by the same
    amount so that read conversations stay read.  ``clock`` is the sandbox's
    data clock (tests age a demo by starting it "yesterday").
    """
    from sendbee_tui.sandbox import SandboxServer
    from sendbee_tui.store import LocalStore

    db = demo_db_path(paths)
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with LocalStore(paths.data_dir) as local:
            local.forget_account(DEMO_ACCOUNT)
        legacy_state_path(paths, "demo").unlink(missing_ok=True)
    ensure_private_dir(db.parent)
    fresh = not db.exists()
    server = SandboxServer(
        db_path=db, simulate=simulate or None, clock=clock, rebase_time=not fresh
    )
    server.start()
    # A new account's baseline is "now": seed the demo's earlier, so that its
    # recent customer messages start out unread.  (An existing account keeps
    # its baseline: the store's clock only dates rows created here.)
    seeded_now = clock() - DEMO_UNREAD_WINDOW
    with LocalStore(paths.data_dir, clock=(lambda: seeded_now) if fresh else time.time) as local:
        state = local.account(DEMO_ACCOUNT)
        # Before shifting: an old JSON state holds read marks of the unshifted data.
        state.import_legacy_json(legacy_state_path(paths, "demo"))
        if server.time_shift_seconds:
            state.shift_times(server.time_shift_seconds)
    profile = Profile(
        name="demo",
        api_key=server.api_key,
        api_secret=server.api_secret,
        base_url=server.base_url,
        # A free port each run: pin the account, or the demo's drafts would not come back.
        pinned_account_key=DEMO_ACCOUNT,
    )
    return server, profile
