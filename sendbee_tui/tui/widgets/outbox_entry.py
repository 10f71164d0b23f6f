"""How a reply in the outbox looks in the thread: its state in words, an icon, its keys.

The thread shows a conversation's outbox entries after its messages, so the
agent sees every reply that is not a server message yet — and why.  The state
is always written out (``queued``, ``sending…``, ``checking…``, ``sent``,
``failed: <reason>``, ``unconfirmed — not seen on the server``); the icon and
the colour only repeat it.

A ``sent`` entry is shown only until the thread lists the server's message
(:func:`visible_entries`), so a reply is never displayed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

from sendbee_tui.api import Message as ApiMessage
from sendbee_tui.outbox import Kind, OutboxEntry, State
from sendbee_tui.tui.inbox.conversations import ts
from sendbee_tui.tui.safe_text import literal

__all__ = [
    "ACTIONS",
    "SENT_SHOWN_SECONDS",
    "actions_for",
    "allowed",
    "entry_body",
    "entry_header",
    "hint_words",
    "state_mark",
    "state_words",
    "visible_entries",
]

#: A sent entry whose message the thread does not list is still shown this long
#: (the thread polls right after a send; an older one was listed, or scrolled away).
SENT_SHOWN_SECONDS = 120.0

#: ``(icon, words, style)`` per state; ``{error}`` is the entry's reason.
_STATES: dict[State, tuple[str, str, str]] = {
    State.QUEUED: ("◷", "queued", "$text-muted"),
    State.SENDING: ("↑", "sending…", "$text-muted"),
    State.CHECKING: ("?", "checking whether it arrived…", "$warning"),
    State.SENT: ("✓", "sent", "$success"),
    State.FAILED: ("✗", "failed", "$error"),
    State.UNCONFIRMED: ("⚠", "unconfirmed — not seen on the server", "$warning"),
}

#: Which outbox keys apply in which state (the thread's hint line and its checks).
ACTIONS: dict[State, tuple[str, ...]] = {
    State.QUEUED: ("outbox.edit", "outbox.discard"),
    State.SENDING: (),
    State.CHECKING: (),
    State.SENT: (),
    State.FAILED: ("outbox.retry", "outbox.edit", "outbox.discard"),
    State.UNCONFIRMED: ("outbox.recheck", "outbox.resend", "outbox.edit", "outbox.discard"),
}


def actions_for(entry: OutboxEntry | None) -> tuple[str, ...]:
    """The outbox keys (binding ids) that apply to ``entry`` now: :data:`ACTIONS` of its
    state, less ``outbox.edit`` for a template (a template is picked again, not edited)."""
    if entry is None:
        return ()
    actions = ACTIONS[entry.state]
    if entry.kind is Kind.TEMPLATE:
        return tuple(a for a in actions if a != "outbox.edit")
    return actions


def allowed(action: str, entry: OutboxEntry | None) -> bool:
    """Whether the outbox key ``action`` (a binding id) applies to ``entry`` now."""
    return action in actions_for(entry)


_ACTION_WORDS = {
    "outbox.retry": "retry",
    "outbox.edit": "edit",
    "outbox.discard": "discard",
    "outbox.recheck": "check again",
    "outbox.resend": "send again anyway",
}


def state_words(entry: OutboxEntry) -> str:
    """The state as the agent reads it, with the reason where there is one."""
    _, words, _ = _STATES[entry.state]
    error = entry.error or ""
    if entry.state is State.FAILED:
        return f"failed: {error or 'no reason given'}"
    if entry.state is State.QUEUED and error:
        return f"queued — {error}; goes out when Sendbee answers"
    if entry.state is State.CHECKING and error:
        return f"checking whether it arrived… ({error})"
    return words


def state_mark(entry: OutboxEntry) -> Content:
    """``⚠ unconfirmed`` / ``✗ failed``: the icon and the state's first word, for a table."""
    icon, words, style = _STATES[entry.state]
    return Content.styled(f"{icon} {words.split(' ')[0]}", style)


def entry_header(entry: OutboxEntry, clock_text: str, *, selected: bool) -> Content:
    """``You  12:03  ✗ failed: HTTP 400: …`` (the reason is untrusted text: literal)."""
    icon, _, style = _STATES[entry.state]
    what = "Template" if entry.kind is Kind.TEMPLATE else "You"
    parts: list[Content | str | tuple[str, str]] = [
        ("▶ " if selected else "", "bold $accent"),
        (what, "bold $primary"),
        "  ",
        (clock_text, "$text-muted"),
        "  ",
        (icon, style),
        " ",
        literal(state_words(entry), style),
    ]
    return Content.assemble(*parts)


def entry_body(entry: OutboxEntry) -> Content:
    """The reply's text (and media URL / template name), shown literally."""
    payload = entry.payload
    lines: list[Content] = []
    if entry.kind is Kind.TEMPLATE:
        name = f"{payload.template_keyword or '?'} ({payload.template_language or '?'})"
        lines.append(Content.assemble(("[template] ", "bold $secondary"), literal(name)))
    if payload.media_url or payload.attachment:
        url = payload.media_url or payload.attachment or ""
        lines.append(Content.assemble(("[media] ", "bold $secondary"), literal(url)))
    if entry.text:
        lines.append(literal(entry.text).expand_tabs(4))
    if not lines:
        lines.append(Content.styled("(empty reply)", "$text-muted italic"))
    return Content("\n").join(lines)


def hint_words(entry: OutboxEntry, key_for: dict[str, str]) -> Content:
    """``R retry · e edit · x discard`` for the selected entry (keys as bound now)."""
    actions = [a for a in actions_for(entry) if a in key_for]
    if not actions:
        return Content.styled("on its way — nothing to do", "$text-muted")
    parts: list[Content | str | tuple[str, str]] = []
    for i, action in enumerate(actions):
        if i:
            parts.append((" · ", "$text-muted"))
        parts += [(key_for[action], "bold $accent"), " ", _ACTION_WORDS[action]]
    return Content.assemble(*parts)


def _shown_on_server(entry: OutboxEntry, messages: Sequence[ApiMessage], ids: set[str]) -> bool:
    if entry.server_message_id:
        return entry.server_message_id in ids
    # Claimed without an id (a race with another instance): match the text instead.
    since = (entry.attempted_at or entry.created_at) - 60.0
    body = (entry.text or "").strip()
    return any(
        (m.direction or "") == "outbound"
        and (m.body or "").strip() == body
        and (ts(m.sent_at) or 0.0) >= since
        for m in messages
    )


def visible_entries(
    entries: Iterable[OutboxEntry], messages: Sequence[ApiMessage], now: float
) -> list[OutboxEntry]:
    """The entries the thread shows: all but sent ones whose message it shows (or long ago)."""
    ids = {m.id for m in messages if m.id}
    out: list[OutboxEntry] = []
    for entry in entries:
        if entry.removed:
            continue
        if entry.state is State.SENT and (
            now - entry.updated_at > SENT_SHOWN_SECONDS or _shown_on_server(entry, messages, ids)
        ):
            continue
        out.append(entry)
    return out
