"""One account-wide unread count, whatever the list shows.

Unread is local (read marks in the :class:`~.local_state.LocalStore`), so
counting it needs the conversations themselves.  :class:`UnreadTally` keeps the
first page of every folder (refreshed with the folder totals) and the newest
version of every conversation seen; the count is taken over those first pages
plus whatever the list has loaded.  A folder with more conversations than that
is *partially* covered: an unread conversation that sank below its first page
and was never scrolled to is not counted, and the status line says so with a
``+`` (``14+ unread``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sendbee_tui.api import Conversation
from sendbee_tui.tui.inbox.conversations import FOLDERS, model_id

__all__ = ["UnreadSummary", "UnreadTally"]


@dataclass(frozen=True)
class UnreadSummary:
    """Unread conversations in total and per folder; ``partial``: some folder not fully seen."""

    total: int = 0
    by_folder: dict[str, int] = field(default_factory=dict)
    partial: bool = False


class UnreadTally:
    """The conversations the unread count is taken over, kept fresh by every fetch.

    ``is_unread`` is the list's rule (read marks; the open conversation never is).
    """

    def __init__(self, is_unread: Callable[[Conversation], bool]) -> None:
        self.is_unread = is_unread
        #: The newest version fetched of every conversation seen, in any folder.
        self.latest: dict[str, Conversation] = {}
        #: Ids on the first page of each folder, as last fetched.
        self.heads: dict[str, frozenset[str]] = {}
        #: Conversations in each folder, as the server last counted them.
        self.totals: dict[str, int] = {}

    def see(self, convs: Iterable[Conversation]) -> None:
        """Newer versions of some conversations arrived (any page, any folder)."""
        for conv in convs:
            self.latest[model_id(conv)] = conv

    def set_head(self, folder: str, convs: list[Conversation], total: int) -> None:
        """The first page of ``folder`` was fetched: it replaces the previous one."""
        self.see(convs)
        self.heads[folder] = frozenset(model_id(c) for c in convs)
        self.totals[folder] = total

    def conversations(self, loaded: Iterable[str] = ()) -> list[Conversation]:
        """The conversations counted: every folder's first page plus ``loaded`` ids."""
        ids: set[str] = set(loaded)
        for head in self.heads.values():
            ids |= head
        return [self.latest[i] for i in ids if i in self.latest]

    def unread_ids(self, loaded: Iterable[str] = ()) -> list[str]:
        return [model_id(c) for c in self.conversations(loaded) if self.is_unread(c)]

    def summary(
        self, loaded: Iterable[str] = (), loaded_folder: str | None = None
    ) -> UnreadSummary:
        """Count unread per folder; ``loaded`` are the ids the list has loaded of
        ``loaded_folder`` (None when the list shows a search, which covers no folder)."""
        loaded = list(loaded)
        by_folder = dict.fromkeys(FOLDERS, 0)
        covered = {f: set(self.heads.get(f, ())) for f in FOLDERS}
        if loaded_folder is not None:
            covered.setdefault(loaded_folder, set()).update(loaded)
        for conv in self.conversations(loaded):
            if self.is_unread(conv):
                folder = conv.folder or ""
                by_folder[folder] = by_folder.get(folder, 0) + 1
        partial = any(
            folder not in self.totals or self.totals[folder] > len(covered.get(folder, ()))
            for folder in FOLDERS
        )
        return UnreadSummary(sum(by_folder.values()), by_folder, partial)
