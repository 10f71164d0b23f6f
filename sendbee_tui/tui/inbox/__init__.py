"""The inbox's data layer: polling, caches, unread marks, sending.  No widgets live here.

Modules, from the bottom up:

* :mod:`.conversations` — pure helpers over API models (times, 24-hour window, previews);
* :mod:`.local_state` — :class:`LocalStore`, what the inbox keeps on this machine, and
  :func:`open_local_state`, which opens it in the shared SQLite database;
* :mod:`.connection` — online/offline state, backoff, gaps;
* :mod:`.view` — what the list shows (folder, sort, filter), remembered;
* :mod:`.previews` — lazily fetched last-message previews;
* :mod:`.arrivals` — new customer messages and the catch-up summary after a gap;
* :mod:`.filters` — tag, chatbot and 24-hour window filters of the list;
* :mod:`.text_search` — the search in message text loaded so far;
* :mod:`.unread` — the account-wide unread count over every folder;
* :mod:`.ordering` — the list's two sort orders, keys computed once per model;
* :mod:`.batches` — whole collections, laid out one batch of pages at a time;
* :mod:`.thread_sync` — the open conversation's messages and contact;
* :mod:`.list_pages` — the list view's loaded pages: lazy paging, every page for a sort;
* :mod:`.list_polling` — page 1 and the folder totals kept in step with the server;
* :mod:`.list_sync` — the conversation list and its view;
* :mod:`.triage` — mark unread / all read / move, with undo;
* :mod:`.sending` — replies through the persistent outbox, and the row marks they give;
* :mod:`.service_drafts`, :mod:`.service_replies`, :mod:`.service_loops` — the facade's own parts:
  composer drafts and flags, replies through the outbox, the long-lived workers;
* :mod:`.service` — :class:`InboxService`, the facade the screens use.
"""

from sendbee_tui.tui.inbox.connection import MAX_BACKOFF, Clock, Connection, Post
from sendbee_tui.tui.inbox.conversations import (
    FOLDERS,
    WINDOW_SECONDS,
    PreviewKey,
    activity,
    format_duration,
    last_inbound,
    last_outbound,
    message_preview,
    model_id,
    newest_message,
    preview_key,
    ts,
    window_left,
)
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.local_state import (
    PREVENT_BOT_OFF,
    LocalStore,
    MemoryState,
    OpenedState,
    open_local_state,
)
from sendbee_tui.tui.inbox.previews import PREVIEW_BATCH, PreviewCache
from sendbee_tui.tui.inbox.sending import (
    SEND_STATES,
    NeedsYouChanged,
    OutboxChanged,
    Sending,
    SendStateChanged,
    send_state_of,
)
from sendbee_tui.tui.inbox.service import MEDIA_DRAFT, InboxService
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.view import SORTS, ViewState, load_view, save_view

__all__ = [
    "FOLDERS",
    "MAX_BACKOFF",
    "MEDIA_DRAFT",
    "PREVENT_BOT_OFF",
    "PREVIEW_BATCH",
    "SEND_STATES",
    "SORTS",
    "WINDOW_SECONDS",
    "Clock",
    "Connection",
    "InboxService",
    "ListSync",
    "LocalStore",
    "MemoryState",
    "NeedsYouChanged",
    "OpenedState",
    "OutboxChanged",
    "Post",
    "PreviewCache",
    "PreviewKey",
    "SendStateChanged",
    "Sending",
    "ThreadSync",
    "ViewState",
    "activity",
    "format_duration",
    "last_inbound",
    "last_outbound",
    "load_view",
    "message_preview",
    "model_id",
    "newest_message",
    "open_local_state",
    "preview_key",
    "save_view",
    "send_state_of",
    "settled",
    "ts",
    "window_left",
]
