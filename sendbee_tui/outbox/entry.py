"""What the outbox remembers about one reply: :class:`OutboxEntry` and its states.

The states exist to keep one promise — a reply reaches the customer exactly
once, or the agent sees that it did not — on an API without idempotency keys::

    queued -> sending -> sent
                      -> failed        (certainly not delivered: 4xx, validation,
                                        or the window closed while it waited)
                      -> queued        (certainly never left: no connection, 429)
                      -> checking      (may have arrived: timeout, lost connection,
                                        5xx) -> sent | unconfirmed

``checking`` is resolved by reading the conversation, never by guessing;
``unconfirmed`` (not seen on the server) is only ever sent again by a deliberate
agent action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sendbee_tui.store import OutboxRow

__all__ = ["ACTIVE_STATES", "Kind", "OutboxEntry", "Payload", "State"]


class State(str, Enum):
    """Where an entry is on its way to the customer."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CHECKING = "checking"
    UNCONFIRMED = "unconfirmed"

    def __str__(self) -> str:
        return self.value


#: States in which the outbox still has work to do (the agent waits for them).
ACTIVE_STATES = frozenset({State.QUEUED, State.SENDING, State.CHECKING})


class Kind(str, Enum):
    """Which API call delivers the entry."""

    TEXT = "text"
    MEDIA = "media"
    TEMPLATE = "template"

    def __str__(self) -> str:
        return self.value

    @property
    def free_form(self) -> bool:
        """Free-form messages need the 24-hour window; templates do not."""
        return self is not Kind.TEMPLATE


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


@dataclass(frozen=True, slots=True)
class Payload:
    """What to send: the arguments of ``messages.send`` or ``messages.send_template``.

    ``expected_body`` is, for a template, the filled-in text the customer
    receives; the form knows it (it shows the preview) and passing it spares a
    template lookup when a send has to be checked on the server.
    """

    text: str | None = None
    media_url: str | None = None
    template_keyword: str | None = None
    template_language: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    button_tags: Mapping[str, str] = field(default_factory=dict)
    attachment: str | None = None
    prevent_bot_off: bool = False
    agent_id: str | None = None
    expected_body: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON object for the database (empty fields left out)."""
        data: dict[str, Any] = {
            "text": self.text,
            "media_url": self.media_url,
            "template_keyword": self.template_keyword,
            "template_language": self.template_language,
            "tags": dict(self.tags) or None,
            "button_tags": dict(self.button_tags) or None,
            "attachment": self.attachment,
            "prevent_bot_off": self.prevent_bot_off or None,
            "agent_id": self.agent_id,
            "expected_body": self.expected_body,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Payload:
        """Read back :meth:`to_json` (unknown keys from a newer version are ignored)."""

        def text(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) else None

        return cls(
            text=text("text"),
            media_url=text("media_url"),
            template_keyword=text("template_keyword"),
            template_language=text("template_language"),
            tags=_str_map(data.get("tags")),
            button_tags=_str_map(data.get("button_tags")),
            attachment=text("attachment"),
            prevent_bot_off=bool(data.get("prevent_bot_off")),
            agent_id=text("agent_id"),
            expected_body=text("expected_body"),
        )


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One reply on its way; immutable — every change produces a new entry.

    Times are Unix seconds.  ``attempted_at`` is when the last request was about
    to leave (the lower bound when looking for it on the server); ``error`` is
    a short agent-readable reason for ``failed``/``unconfirmed`` (and the last
    transient problem while ``queued``/``checking``).  ``conversation_id`` is
    None for a template to a number without a conversation until it is sent.
    ``look_first``: look for it on the server before sending (a deliberate
    resend of an unconfirmed entry).  ``removed`` is only ever True in a
    listener call: the entry was cancelled, discarded or taken back to the
    composer, and no longer exists.
    """

    id: str
    account: str
    conversation_id: str | None
    phone: str
    kind: Kind
    payload: Payload
    state: State
    created_at: float
    attempted_at: float | None = None
    updated_at: float = 0.0
    error: str | None = None
    server_message_id: str | None = None
    attempts: int = 0
    seq: int = 0
    look_first: bool = False
    removed: bool = False

    @property
    def text(self) -> str | None:
        """The agent's text (for a template: the filled-in text, when known)."""
        if self.kind is Kind.TEMPLATE:
            return self.payload.expected_body
        return self.payload.text

    @property
    def key(self) -> str:
        """Entries with one key go out strictly in order: the customer's phone.

        Sendbee keeps one conversation per contact, and the phone is known even
        for a template to a number that has no conversation yet.
        """
        return self.phone

    @property
    def active(self) -> bool:
        """True while the outbox still works on it (queued, sending, checking)."""
        return self.state in ACTIVE_STATES

    def __repr__(self) -> str:
        # Never the message text: reprs end up in logs.
        return (
            f"OutboxEntry(id={self.id!r}, state={self.state.value!r}, kind={self.kind.value!r},"
            f" conversation_id={self.conversation_id!r}, attempts={self.attempts})"
        )

    @classmethod
    def from_row(cls, row: OutboxRow) -> OutboxEntry:
        """Build from a stored row."""
        return cls(
            id=row["id"],
            account=row["account"],
            conversation_id=row["conversation_id"],
            phone=row["phone"],
            kind=Kind(row["kind"]),
            payload=Payload.from_json(row["payload"]),
            state=State(row["state"]),
            created_at=row["created_at"],
            attempted_at=row["attempted_at"],
            updated_at=row["updated_at"],
            error=row["error"],
            server_message_id=row["server_message_id"],
            attempts=row["attempts"],
            seq=row["seq"],
            look_first=row["look_first"],
        )
