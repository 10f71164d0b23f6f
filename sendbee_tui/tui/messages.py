"""Textual messages posted by :class:`~sendbee_tui.tui.inbox.InboxService` to the main screen.

The service never touches widgets: it posts these small immutable records and the
screen routes them to the widgets.  Every model inside was already cleaned with
:func:`~sendbee_tui.tui.safe_text.clean_model`, so widgets may render them as
:class:`~textual.content.Content` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from sendbee_tui.api import Contact, Conversation
from sendbee_tui.api import Message as ApiMessage


@dataclass
class ConversationsChanged(Message):
    """The visible conversation list (current folder + search + filters) changed."""

    folder: str
    rows: list[Conversation]
    total: int
    has_more: bool
    keep_selection: bool = True
    loading: bool = False


@dataclass
class FolderCounts(Message):
    """Totals per folder, from the ``meta.total`` of each folder's list."""

    counts: dict[str, int]


@dataclass
class PreviewsChanged(Message):
    """Previews for some conversations arrived (ids); rows re-render from the service cache."""

    conversation_ids: frozenset[str]


@dataclass
class ThreadLoaded(Message):
    """The open conversation's messages (oldest first), replacing what was shown."""

    conversation_id: str
    messages: list[ApiMessage]
    has_older: bool
    scroll_to_end: bool = True


@dataclass
class ThreadLoading(Message):
    """A conversation was opened; its messages are on their way."""

    conversation_id: str


@dataclass
class ConversationUpdated(Message):
    """One conversation's metadata changed (folder, chatbot, last message)."""

    conversation: Conversation


@dataclass
class ContactLoaded(Message):
    """Full contact details (tags, notes, fields) for the open conversation."""

    conversation_id: str
    contact: Contact | None  # None: not found


@dataclass
class ConnectionChanged(Message):
    """Connection state for the status line: online, retrying, offline or connecting."""

    state: str
    retry_in: float | None = None
    last_sync: float | None = None
    detail: str = ""


@dataclass
class UnreadChanged(Message):
    """The unread count changed (status line, folder tabs, terminal title).

    ``count`` is account-wide (every folder); ``partial`` says some folder has
    more conversations than were looked at, so the count is a lower bound.
    """

    count: int
    by_folder: dict[str, int] = field(default_factory=dict)
    partial: bool = False


@dataclass
class NewInbound(Message):
    """New customer messages arrived in these conversations since the last poll."""

    conversations: list[Conversation] = field(default_factory=list)


@dataclass
class CatchUp(Message):
    """After a gap (offline, sleep): a one-line summary of what changed meanwhile."""

    summary: str
