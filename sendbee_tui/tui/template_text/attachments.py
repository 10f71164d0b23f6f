"""Attachment URLs: what a template's media kind accepts, and a loose check of a URL.

Loose on purpose: the form refuses only what would surely fail (not http(s),
or a file plainly of another kind); the server hosting the media decides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class AttachmentRule:
    """What a template's ``attachment`` kind accepts (WhatsApp's media rules)."""

    kind: str
    extensions: tuple[str, ...]

    @property
    def description(self) -> str:
        """Human wording such as ``image (JPG, PNG)`` for hints and errors."""
        shown: list[str] = []
        for ext in self.extensions:
            label = ext.upper()
            # jpeg/jpg and docx/doc are the same thing to a human reader.
            if label in {"JPEG", "DOCX", "PPTX", "XLSX", "3GPP"}:
                continue
            shown.append(label)
        return f"{self.kind} ({', '.join(shown)})"


ATTACHMENT_RULES: dict[str, AttachmentRule] = {
    "image": AttachmentRule("image", ("jpg", "jpeg", "png")),
    "video": AttachmentRule("video", ("mp4", "3gp", "3gpp")),
    "document": AttachmentRule("document", ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx")),
}

# Extensions that clearly belong to *some* media kind; a URL ending in one of
# these that the template's kind does not accept is refused.  Anything else
# (no extension, ``.php``, ``.aspx``...) is accepted: plenty of media is
# served from URLs that do not name a file, so the check stays loose.
_KNOWN_MEDIA_EXTENSIONS: dict[str, str] = {
    **{ext: kind for kind, rule in ATTACHMENT_RULES.items() for ext in rule.extensions},
    "gif": "image",
    "webp": "image",
    "bmp": "image",
    "tif": "image",
    "tiff": "image",
    "svg": "image",
    "heic": "image",
    "mov": "video",
    "avi": "video",
    "mkv": "video",
    "webm": "video",
    "aac": "audio",
    "m4a": "audio",
    "amr": "audio",
    "mp3": "audio",
    "ogg": "audio",
    "opus": "audio",
    "wav": "audio",
    "txt": "document",
    "csv": "document",
    "odt": "document",
    "rtf": "document",
    "zip": "archive",
    "rar": "archive",
    "exe": "program",
}


def check_url(url: str) -> str | None:
    """``None`` if ``url`` looks like an http(s) URL, else a message saying why not."""
    url = url.strip()
    if not url:
        return "Enter a URL."
    if any(ch.isspace() for ch in url):
        return "A URL cannot contain spaces."
    try:
        parts = urlsplit(url)
    except ValueError:
        return "That is not a valid URL."
    if parts.scheme.lower() not in {"http", "https"}:
        return "The URL must start with http:// or https://."
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return "The URL needs a host name, e.g. https://example.com/file.jpg."
    return None


def attachment_rule(kind: str | None) -> AttachmentRule | None:
    """The rule for a template's ``attachment`` kind, ``None`` when it takes none."""
    if not kind:
        return None
    return ATTACHMENT_RULES.get(kind.strip().lower())


def _extension(url: str) -> str:
    path = urlsplit(url.strip()).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    return last.rsplit(".", 1)[-1].lower()


def check_attachment_url(url: str, kind: str | None) -> str | None:
    """``None`` if ``url`` is acceptable for a template whose attachment is ``kind``.

    The check is deliberately loose: a URL is refused when it is not http(s)
    or when it names a file that is clearly of another kind (``clip.mp4`` for
    an image template).  URLs without a recognisable extension are accepted
    because the server that hosts the media decides what it serves.
    """
    problem = check_url(url)
    if problem:
        return problem
    rule = attachment_rule(kind)
    if rule is None:
        return None
    ext = _extension(url)
    if not ext or ext in rule.extensions:
        return None
    other = _KNOWN_MEDIA_EXTENSIONS.get(ext)
    if other is None:
        return None
    return f".{ext} is not allowed: this template takes an {rule.description}."
