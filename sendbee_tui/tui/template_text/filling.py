"""Filling a template: the text the customer receives, in runs the preview can style.

Built from the same placeholder grammar as the list of inputs
(:mod:`.placeholders`), so the preview can never disagree with the form about
what still needs a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sendbee_tui.tui.template_text.placeholders import (
    _CANDIDATE_RE,
    TemplateLike,
    _placeholder_at,
)

SegmentKind = Literal["text", "value", "missing"]


@dataclass(frozen=True)
class Segment:
    """One run of preview text: template text, a filled value, or a gap."""

    text: str
    kind: SegmentKind
    placeholder: str | None = None


def fill_segments(text: str | None, values: Mapping[str, str]) -> list[Segment]:
    """Split ``text`` into literal runs, filled values and unfilled gaps.

    The form styles the runs differently (values highlighted, gaps shown as
    ``{{n}}`` in a warning colour) without ever building markup from the
    untrusted template text.
    """
    text = text or ""
    segments: list[Segment] = []
    position = 0
    for match in _CANDIDATE_RE.finditer(text):
        name = _placeholder_at(match.group(0))
        if name is None:
            continue  # "{1}", "{ }", "{{}}": plain text
        if match.start() > position:
            segments.append(Segment(text[position : match.start()], "text"))
        value = values.get(name) or ""
        if value.strip():
            segments.append(Segment(value, "value", name))
        else:
            segments.append(Segment(match.group(0), "missing", name))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:], "text"))
    return segments


def fill(text: str | None, values: Mapping[str, str]) -> str:
    """The text the customer receives: every filled placeholder replaced.

    Unfilled placeholders stay as written, which is what the preview should
    show (and what the form refuses to send).
    """
    return "".join(segment.text for segment in fill_segments(text, values))


@dataclass(frozen=True)
class ButtonPreview:
    """A button as the customer sees it: its title and, for URL buttons, the filled URL."""

    title: str
    type: str
    value: str


def button_previews(
    template: TemplateLike, button_values: Mapping[str, str]
) -> list[ButtonPreview]:
    """Every button with its dynamic URL filled from ``button_values``."""
    previews: list[ButtonPreview] = []
    for button in template.buttons or ():
        previews.append(
            ButtonPreview(
                title=button.title or "",
                type=button.type or "",
                value=fill(button.value or "", button_values),
            )
        )
    return previews
