"""What the composer keeps per conversation on this machine, for :class:`~.service.InboxService`.

The draft text, the media URL not sent yet and the keep-the-chatbot-on choice
live in the local store; a failing store is logged and never crashes the
composer (it then behaves as if nothing was saved).
"""

from __future__ import annotations

import logging

from sendbee_tui.tui.inbox.local_state import PREVENT_BOT_OFF, LocalStore

__all__ = ["MEDIA_DRAFT", "InboxDrafts"]

#: One logger for the inbox service, whichever of its modules writes.
log = logging.getLogger("sendbee_tui.tui.inbox.service")

#: Per-conversation flag: the media URL typed in the composer and not sent yet.
MEDIA_DRAFT = "media_draft"


class InboxDrafts:
    """Drafts and per-conversation composer flags (a base class of the inbox service)."""

    state: LocalStore

    def get_draft(self, conv_id: str) -> str:
        try:
            return self.state.get_draft(conv_id) or ""
        except Exception:
            log.exception("get_draft failed")
            return ""

    def set_draft(self, conv_id: str, text: str) -> None:
        try:
            self.state.set_draft(conv_id, text)
        except Exception:
            log.exception("set_draft failed")

    def save_now(self) -> None:
        """Write pending drafts now (after a send: the sent text must not survive as a draft)."""
        try:
            self.state.flush()
        except Exception:
            log.exception("flush failed")

    def prevent_bot_off(self, conv_id: str) -> bool:
        """Whether replies to ``conv_id`` keep its chatbot on (remembered per conversation)."""
        try:
            return bool(self.state.get_flag(conv_id, PREVENT_BOT_OFF, False))
        except Exception:
            log.exception("get_flag failed")
            return False

    def set_prevent_bot_off(self, conv_id: str, value: bool) -> None:
        try:
            self.state.set_flag(conv_id, PREVENT_BOT_OFF, True if value else None)
        except Exception:
            log.exception("set_flag failed")

    def get_media_draft(self, conv_id: str) -> str:
        """The media URL typed for ``conv_id`` and not sent yet ("" when none)."""
        try:
            value = self.state.get_flag(conv_id, MEDIA_DRAFT, "")
        except Exception:
            log.exception("get_flag failed")
            return ""
        return value if isinstance(value, str) else ""

    def set_media_draft(self, conv_id: str, url: str) -> None:
        try:
            self.state.set_flag(conv_id, MEDIA_DRAFT, url or None)
        except Exception:
            log.exception("set_flag failed")
