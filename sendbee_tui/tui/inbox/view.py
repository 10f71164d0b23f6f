"""What the conversation list shows, and remembering it across restarts.

Folder, sort order and the unread filter are kept in the :class:`~.local_state.
LocalStore` settings, so the inbox opens as the agent left it.  The search is
not remembered: a restart with a forgotten filter would look like lost
conversations.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sendbee_tui.tui.inbox.conversations import FOLDERS
from sendbee_tui.tui.inbox.local_state import LocalStore

__all__ = ["SORTS", "ViewState", "load_view", "save_view"]

log = logging.getLogger(__name__)

#: "recent": most recent activity first; "window": 24-hour window closing soonest first.
SORTS: tuple[str, ...] = ("recent", "window")


@dataclass
class ViewState:
    """What the list shows: folder, search, sort order, unread filter."""

    folder: str = "open"
    search: str = ""
    sort: str = "recent"  # or "window"
    unread_only: bool = False


def load_view(state: LocalStore) -> ViewState:
    """The view as the agent left it; anything unreadable or unknown keeps its default."""
    view = ViewState()
    try:
        folder = state.get_setting("inbox.folder", "open")
        sort = state.get_setting("inbox.sort", "recent")
        unread_only = state.get_setting("inbox.unread_only", False)
    except Exception:
        log.exception("could not read view settings")
        return view
    if isinstance(folder, str) and folder in FOLDERS:
        view.folder = folder
    if isinstance(sort, str) and sort in SORTS:
        view.sort = sort
    view.unread_only = bool(unread_only)
    return view


def save_view(state: LocalStore, view: ViewState) -> None:
    """Remember folder, sort and filter (a failure is logged: the inbox works without)."""
    try:
        state.set_setting("inbox.folder", view.folder)
        state.set_setting("inbox.sort", view.sort)
        state.set_setting("inbox.unread_only", view.unread_only)
    except Exception:
        log.exception("could not save view settings")
