"""The template picker's rules: what can be sent, in which order, what a search matches."""

from __future__ import annotations

from typing import Protocol

from sendbee_tui.tui.template_text.placeholders import TemplateLike


class StatusLike(Protocol):
    """Anything with a template's review ``status`` (approved, pending, rejected)."""

    @property
    def status(self) -> str | None: ...


class SortableTemplate(StatusLike, Protocol):
    """What the picker's order reads of a template."""

    @property
    def keyword(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...


_STATUS_ORDER = {"approved": 0, "pending": 1, "rejected": 2}


def status_of(template: StatusLike) -> str:
    """The review status in lower case (``"unknown"`` when the server gave none)."""
    return (template.status or "unknown").lower()


def sendable(template: StatusLike) -> bool:
    """Only approved templates can be sent (WhatsApp's rule, enforced by the API too)."""
    return (template.status or "").lower() == "approved"


def picker_sort_key(template: SortableTemplate) -> tuple[int, str, str]:
    """Sendable first, then pending, then rejected; by name and language within each."""
    return (
        _STATUS_ORDER.get(status_of(template), 3),
        (template.name or template.keyword or "").casefold(),
        template.language or "",
    )


def first_line(text: str | None, width: int = 90) -> str:
    """``text`` on one line (runs of white space folded), cut to ``width`` with an ellipsis."""
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def template_matches(template: TemplateLike, query: str) -> bool:
    """Whether every word of ``query`` appears in the keyword, name or text."""
    words = query.lower().split()
    if not words:
        return True
    haystack = " ".join(
        text or "" for text in (template.keyword, template.name, template.text)
    ).lower()
    return all(word in haystack for word in words)
