"""Which API paths the hub passes on, and which cached answers a change makes stale.

One table, so the proxy (writes), the webhook receiver (events) and the tests
agree on what "the conversation list" or "a thread" means in paths.

Only the paths the app uses pass through the hub.  Deliberately absent:
``/webhooks/subscribe`` (an agent could point the account's webhooks at a URL
of theirs and collect ``X-Authorization`` tokens signed with the account
secret) and the ``/rate-limit/*`` test endpoints (they only burn the shared
limit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ALLOWED",
    "SEND_PATHS",
    "Scope",
    "scope_for_event",
    "scope_for_write",
]

CONVERSATION_PATHS = frozenset(
    {
        "/conversations",
        "/conversation",
        "/conversations/messages",
        "/automation/chatbot/activity/status",
    }
)
CONTACT_PATHS = frozenset({"/contacts", "/contacts/tags", "/contacts/fields"})
TEMPLATE_PATHS = frozenset({"/conversations/messages/templates"})
#: Lists that show contact data (names) besides the contact lists themselves.
CONVERSATION_LISTS = frozenset({"/conversations", "/conversation"})

#: Path -> methods the hub forwards (the contract's resources, minus webhooks and rate tests).
ALLOWED: Mapping[str, frozenset[str]] = {
    "/contacts": frozenset({"GET", "PUT"}),
    "/contacts/subscribe": frozenset({"POST"}),
    "/contacts/tags": frozenset({"GET", "POST", "PUT", "DELETE"}),
    "/contacts/fields": frozenset({"GET", "POST", "PUT", "DELETE"}),
    "/conversations": frozenset({"GET"}),
    "/conversation": frozenset({"GET", "POST"}),
    "/conversations/messages": frozenset({"GET"}),
    "/conversations/messages/templates": frozenset({"GET"}),
    "/conversations/messages/templates/send": frozenset({"POST"}),
    "/conversations/messages/send": frozenset({"POST"}),
    "/teams/teams": frozenset({"GET"}),
    "/teams/members": frozenset({"GET"}),
    "/automation/chatbot/activity": frozenset({"PUT"}),
    "/automation/chatbot/activity/status": frozenset({"GET"}),
}

#: Sends: the hub stamps the session's agent as ``agent_id`` on these.
SEND_PATHS = frozenset({"/conversations/messages/send", "/conversations/messages/templates/send"})

#: Short, text-free names of writes for the audit trail and the log.
ACTIONS: Mapping[tuple[str, str], str] = {
    ("POST", "/conversations/messages/send"): "send_message",
    ("POST", "/conversations/messages/templates/send"): "send_template",
    ("POST", "/conversation"): "move_conversation",
    ("PUT", "/automation/chatbot/activity"): "set_chatbot",
    ("PUT", "/contacts"): "update_contact",
    ("POST", "/contacts/subscribe"): "subscribe_contact",
    ("POST", "/contacts/tags"): "create_tag",
    ("PUT", "/contacts/tags"): "update_tag",
    ("DELETE", "/contacts/tags"): "delete_tag",
    ("POST", "/contacts/fields"): "create_field",
    ("PUT", "/contacts/fields"): "update_field",
    ("DELETE", "/contacts/fields"): "delete_field",
}


@dataclass(frozen=True)
class Scope:
    """Cached answers to drop: ``paths`` (None: all), limited to ``conversation_ids`` if given."""

    paths: frozenset[str] | None
    conversation_ids: frozenset[str] | None = None


EVERYTHING = Scope(paths=None)


def _ids(*values: Any) -> frozenset[str] | None:
    found = frozenset(v for v in values if isinstance(v, str) and v)
    return found or None


def scope_for_write(path: str, body: Mapping[str, Any], answer: Any) -> Scope:
    """What a write through the hub makes stale, from its path, JSON body and JSON answer."""
    data = answer.get("data") if isinstance(answer, Mapping) else None
    if isinstance(data, list) and data:
        data = data[0]
    if path in SEND_PATHS:
        # The answer's ``id`` is the conversation; a template send may also create a contact.
        sent_to = data.get("id") if isinstance(data, Mapping) else None
        conv = _ids(sent_to)
        if conv is None:
            return Scope(CONVERSATION_PATHS | CONTACT_PATHS)
        return Scope(CONVERSATION_PATHS, conv)
    if path in ("/conversation", "/automation/chatbot/activity"):
        return Scope(CONVERSATION_PATHS, _ids(body.get("conversation_id")))
    if path in ("/contacts", "/contacts/subscribe"):
        return Scope(CONTACT_PATHS | CONVERSATION_LISTS)
    if path in ("/contacts/tags", "/contacts/fields"):
        return Scope(CONTACT_PATHS)
    return EVERYTHING


def scope_for_event(event: str, data: Any) -> Scope:
    """What a Sendbee webhook event makes stale (unknown events: everything)."""
    if not isinstance(data, Mapping):
        return EVERYTHING
    if event.startswith("message.") or (
        event.startswith("whatsapp.message.")
        and event.endswith(".sent_status")
        and "template.approval" not in event
    ):
        conversation = data.get("conversation")
        conv_id = conversation.get("id") if isinstance(conversation, Mapping) else None
        message = data.get("message")
        msg_conv = message.get("conversation_id") if isinstance(message, Mapping) else None
        ids = _ids(conv_id, data.get("conversation_id"), msg_conv)
        return Scope(CONVERSATION_PATHS, ids)
    if event == "conversation.change_folder":
        return Scope(CONVERSATION_PATHS, _ids(data.get("id"), data.get("conversation_id")))
    if event.startswith("contact."):
        return Scope(CONTACT_PATHS | CONVERSATION_LISTS)
    if event == "whatsapp.message.template.approval_status":
        return Scope(TEMPLATE_PATHS)
    return EVERYTHING
