"""The contract's value rules shared by several resources: enums, phones, media.

These are the WhatsApp/Sendbee rules the sandbox enforces; the HTTP layer uses
the enums to validate parameters and the domain uses the helpers to decide
what a send is allowed to carry.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sendbee_tui.sandbox.errors import bad_request

FOLDERS = ("open", "done", "spam", "notified")
MOVABLE_FOLDERS = ("open", "done")
CONTACT_STATUSES = ("subscribed", "unsubscribed")
TEMPLATE_STATUSES = ("pending", "approved", "rejected")
FIELD_TYPES = ("text", "number", "list", "date", "boolean")
WEBHOOK_EVENTS = (
    "contact.created",
    "contact.subscription_created",
    "contact.subscription_updated",
    "contact.unsubscribed",
    "message.received",
    "message.sent",
    "message.sent_status",
    "whatsapp.message.session.sent_status",
    "whatsapp.message.template.sent_status",
    "whatsapp.message.template.approval_status",
    "conversation.change_folder",
)
CARE_WINDOW_SECONDS = 24 * 3600
MAX_TEXT = 4096

#: Media extensions the contract allows, by WhatsApp media type.
MEDIA_EXTENSIONS = {
    "image": ("jpg", "jpeg", "png"),
    "video": ("mp4", "3gp", "3gpp"),
    "audio": ("aac", "m4a", "amr", "mp3", "ogg", "opus"),
    "document": ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx"),
}
UNREACHABLE_REASON = (
    "Message undeliverable: the recipient is not a WhatsApp user"
    " (sandbox: numbers ending in 000 are unreachable)"
)
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")


def normalize_phone(value: str, name: str = "phone") -> str:
    """E.164 with a leading ``+``; spaces, dashes, dots and parentheses are tolerated."""
    cleaned = re.sub(r"[\s\-().]", "", value)
    if not PHONE_RE.match(cleaned):
        raise bad_request(
            f"'{name}' must be an E.164 phone number: '+' then 8 to 15 digits, e.g. +385911234567",
            "invalid_phone",
        )
    return cleaned


def media_type_for(url: str, name: str = "media_url") -> str:
    """The WhatsApp media type a URL's extension maps to, or a precise 400."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad_request(f"'{name}' must be an absolute http(s) URL", "invalid_url")
    ext = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    for media_type, exts in MEDIA_EXTENSIONS.items():
        if ext in exts:
            return media_type
    allowed = ", ".join(e for exts in MEDIA_EXTENSIONS.values() for e in exts)
    raise bad_request(
        f"'{name}' has an unsupported media format {('.' + ext) if ext else '(no extension)'};"
        f" supported: {allowed}",
        "unsupported_media",
    )
