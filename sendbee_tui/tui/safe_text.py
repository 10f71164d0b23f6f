"""Make untrusted text (customer messages, names, notes, template text) safe to show.

Everything that comes from the API was written by somebody else. Two separate dangers:

* Textual markup: a plain ``str`` handed to most widgets is parsed as markup, so
  ``[@click=app.quit]x[/]`` becomes an action and an unbalanced ``[/]`` raises.
  The cure is to render untrusted text only as :class:`~textual.content.Content`
  (built with :func:`literal`), never through an f-string into markup.
* Terminal control sequences: even literal text passes ESC/OSC/CSI and C1 bytes
  straight to the terminal (window-title changes, forged OSC 8 links, screen
  clears), and bidi overrides reorder what the agent reads.  :func:`clean` removes
  them once, where text enters the inbox from the API.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar, cast

from textual.content import Content

T = TypeVar("T")

# C0 controls except TAB and LF, DEL, C1 controls, and the Unicode bidi
# embedding/override/isolate characters.  CR is dropped too: "\r" would let a
# message overwrite the start of its own line in some renderers.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# A whole escape sequence is removed, not just its ESC byte, so that no
# "]0;evil title" debris is left on screen.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST (or unterminated)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
)


def clean(text: str | None) -> str:
    """Return ``text`` without terminal escape sequences, control or bidi characters.

    Newlines and tabs are kept; ``None`` becomes ``""``.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


def clean_model(obj: T) -> T:
    """Return a copy of a (frozen) dataclass tree with every string field cleaned.

    Used once where API models enter the inbox service, so widgets never see raw text.
    The ``raw`` JSON kept on API models is left alone: it is never rendered.
    """
    return cast(T, _clean_any(obj))


def _clean_any(value: object) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        return tuple(_clean_any(v) for v in value)
    if isinstance(value, list):
        return [_clean_any(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _clean_any(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw"
        }
        return dataclasses.replace(value, **changes)
    return value


def literal(text: str | None, style: str = "") -> Content:
    """Untrusted text as Content that is never parsed as markup (and cleaned)."""
    content = Content(clean(text))
    return content.stylize(style) if style else content


_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'\\`]")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is a plain absolute http(s) URL that is safe to make clickable, else None.

    Used before turning a media URL into an OSC 8 hyperlink: anything else
    (``javascript:``, ``file:``, embedded spaces/controls/quotes, no host) stays plain text.
    """
    from urllib.parse import urlsplit

    if not url or len(url) > 2048 or _URL_FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
