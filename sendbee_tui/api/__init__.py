"""Async client for the Sendbee public REST API.

Must never import Textual (the TUI is one user of this package, not the only one).
Everything public is re-exported here::

    from sendbee_tui.api import SendbeeClient, SendbeeAuth, NotFoundError
"""

from .auth import SendbeeAuth
from .client import SendbeeClient
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    PaginationError,
    PaginationException,
    RateLimitError,
    SendbeeError,
    SendbeeRequestApiException,
    SendbeeWarning,
    ServerError,
    ValidationError,
)
from .models import (
    Acknowledgement,
    ChatbotStatus,
    Contact,
    ContactField,
    ContactFieldValue,
    Conversation,
    ConversationContact,
    LastMessage,
    Member,
    Message,
    Note,
    RateLimitStatus,
    SentMessage,
    Tag,
    Team,
    TeamRef,
    Template,
    TemplateButton,
    TemplateTag,
    Webhook,
)
from .pagination import Page, PageLinks, PageMeta
from .redaction import RedactionFilter
from .retry import RetryEvent, RetryPolicy
from .template_placeholders import template_placeholders
from .transport import DEFAULT_BASE_URL
from .validation import (
    CONTACT_STATUSES,
    FIELD_TYPES,
    FOLDERS,
    MOVABLE_FOLDERS,
    TEMPLATE_STATUSES,
    WEBHOOK_EVENTS,
    validate_phone,
)

__all__ = [
    "CONTACT_STATUSES",
    "DEFAULT_BASE_URL",
    "FIELD_TYPES",
    "FOLDERS",
    "MOVABLE_FOLDERS",
    "TEMPLATE_STATUSES",
    "WEBHOOK_EVENTS",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Acknowledgement",
    "AuthenticationError",
    "ChatbotStatus",
    "Contact",
    "ContactField",
    "ContactFieldValue",
    "Conversation",
    "ConversationContact",
    "LastMessage",
    "Member",
    "Message",
    "NotFoundError",
    "Note",
    "Page",
    "PageLinks",
    "PageMeta",
    "PaginationError",
    "PaginationException",
    "RateLimitError",
    "RateLimitStatus",
    "RedactionFilter",
    "RetryEvent",
    "RetryPolicy",
    "SendbeeAuth",
    "SendbeeClient",
    "SendbeeError",
    "SendbeeRequestApiException",
    "SendbeeWarning",
    "SentMessage",
    "ServerError",
    "Tag",
    "Team",
    "TeamRef",
    "Template",
    "TemplateButton",
    "TemplateTag",
    "ValidationError",
    "Webhook",
    "template_placeholders",
    "validate_phone",
]
