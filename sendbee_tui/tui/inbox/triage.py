"""Triage actions that can be taken back: mark unread (``u``), mark all read (``A``),
move to Done / reopen (``d``); ``z`` undoes the most recent one.

Each action records how to revert itself.  Read marks are local, so undoing
them is local too; undoing a move asks the server to move the conversation
back (and says so if it refuses).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sendbee_tui.api import Conversation
from sendbee_tui.tui.inbox.connection import Clock
from sendbee_tui.tui.inbox.conversations import activity, last_inbound, model_id
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.local_state import LocalStore

__all__ = ["UNDO_DEPTH", "Triage", "Undoable"]

log = logging.getLogger(__name__)

#: Actions remembered for ``z``.
UNDO_DEPTH = 20

#: Moves a conversation to a folder on the server and returns what the server answered.
Move = Callable[[str, str], Awaitable[Conversation]]


@dataclass(frozen=True)
class Undoable:
    """One action that ``z`` can take back; ``revert`` returns what the toast says."""

    label: str
    revert: Callable[[], Awaitable[str]]


def contact_label(conv: Conversation) -> str:
    """How a toast names a conversation."""
    return conv.contact.name or conv.contact.phone or "the conversation"


class Triage:
    """Read marks and moves with an undo stack."""

    def __init__(self, *, lists: ListSync, state: LocalStore, clock: Clock, move: Move) -> None:
        self.lists = lists
        self.state = state
        self.clock = clock
        self._move = move
        self._undo: list[Undoable] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def _push(self, entry: Undoable) -> None:
        self._undo.append(entry)
        del self._undo[:-UNDO_DEPTH]

    def _mark_read(self, conv: Conversation) -> None:
        try:
            self.state.mark_read(model_id(conv), last_inbound(conv) or activity(conv))
        except Exception:
            log.exception("mark_read failed")

    def _mark_unread(self, conv_id: str) -> None:
        try:
            self.state.mark_unread(conv_id)
        except Exception:
            log.exception("mark_unread failed")

    # ------------------------------------------------------------------ actions

    def mark_unread(self, conv: Conversation) -> None:
        """``u``: show ``conv`` unread until it is opened again."""
        was_unread = self.lists.is_unread(conv) and conv.id != self.lists.thread.current_id
        self._mark_unread(model_id(conv))
        self.lists.publish()
        name = contact_label(conv)

        async def revert() -> str:
            if not was_unread:
                self._mark_read(conv)
                self.lists.publish()
            return f"Undone: {name} is read again"

        self._push(Undoable(f"mark {name} unread", revert))

    def mark_all_read(self) -> int:
        """``A``: everything up to now counts as read; returns how many were unread."""
        unread = self.lists.unread_ids()
        try:
            self.state.mark_all_read(self.clock())
        except Exception:
            log.exception("mark_all_read failed")
        self.lists.publish()

        async def revert() -> str:
            for conv_id in unread:
                self._mark_unread(conv_id)
            self.lists.publish()
            return f"Undone: {conversations(len(unread))} unread again"

        self._push(Undoable("mark all read", revert))
        return len(unread)

    async def move(self, conv: Conversation, folder: str) -> Conversation:
        """``d``: move ``conv`` to ``folder`` on the server; undo moves it back."""
        before = conv.folder or "open"
        moved = await self._move(model_id(conv), folder)
        if moved.folder != before:
            name = contact_label(conv)

            async def revert() -> str:
                back = await self._move(model_id(conv), before)
                if back.folder != before:
                    return f"Undo refused: the server kept {name} in {back.folder}"
                return f"Undone: {name} moved back to {before.capitalize()}"

            self._push(Undoable(f"move {name} to {folder}", revert))
        return moved

    async def undo(self) -> str | None:
        """Take back the most recent action; None when there is nothing to undo."""
        if not self._undo:
            return None
        entry = self._undo.pop()
        try:
            return await entry.revert()
        except Exception:
            self._undo.append(entry)  # not undone: z may try again
            raise


def conversations(count: int) -> str:
    """``1 conversation``, ``3 conversations``."""
    return f"{count} conversation" + ("" if count == 1 else "s")
