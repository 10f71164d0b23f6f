"""Placeholders: which a template has, how they are spelled, which still lack a value.

Which names a text has is decided by the client's
:func:`sendbee_tui.api.template_placeholders`, the one grammar the TUI, scripts
and checks share; this module adds where each one sits in the text, their order
and their labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from sendbee_tui.api.template_placeholders import template_placeholders

# Text that may be a placeholder: anything in double or single braces without
# braces inside.  Whether it *is* one (and its name) is up to
# ``template_placeholders``, so the preview can never disagree with the list of
# inputs about what needs a value.
_CANDIDATE_RE = re.compile(r"\{\{[^{}]*\}\}|\{[^{}]*\}")


class ButtonLike(Protocol):
    """What these helpers read of a template button."""

    @property
    def title(self) -> str | None: ...
    @property
    def type(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...


class TemplateLike(Protocol):
    """What these helpers read of a template (:class:`sendbee_tui.api.Template` fits).

    ``tags`` and ``button_tags`` hold objects with a ``name`` or raw JSON
    mappings (``{"name": "{{1}}"}``): servers differ, both are understood.
    """

    @property
    def keyword(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def tags(self) -> Iterable[object]: ...
    @property
    def buttons(self) -> Iterable[ButtonLike]: ...
    @property
    def button_tags(self) -> Iterable[object]: ...
    @property
    def attachment(self) -> str | None: ...


def normalise_placeholder(name: str) -> str:
    """``"{{1}}"``, ``" 1 "`` and ``"1"`` all name placeholder ``"1"``; ``"{name}"`` is ``"name"``.

    Template ``tags`` come back from the API as ``[{"name": ...}]`` and servers
    differ on whether the braces are included; the send call wants bare keys.
    """
    name = name.strip()
    found = template_placeholders(name)
    if len(found) == 1 and _placeholder_at(name) == found[0]:
        return found[0]
    return name.strip("{} ")


def _placeholder_at(candidate: str) -> str | None:
    """The placeholder ``candidate`` spells in full (``"{{ 1 }}"``, ``"{name}"``), else None."""
    match = _CANDIDATE_RE.fullmatch(candidate)
    if match is None:
        return None
    found = template_placeholders(candidate)
    return found[0] if len(found) == 1 else None


def is_named(name: str) -> bool:
    """``{name}`` (named) rather than ``{{1}}`` (numbered)."""
    return not name.isdigit()


def _ordered(names: Iterable[str]) -> list[str]:
    """Numbered placeholders in numeric order (10 after 9), then named ones as first seen.

    The same order the sandbox uses for its own lists; named ones stay in text
    order because "name, day, from, to" reads better than the alphabet.
    """
    unique = list(dict.fromkeys(names))
    numbered = sorted((n for n in unique if n.isdigit()), key=int)
    return numbered + [n for n in unique if not n.isdigit()]


def placeholders_in(text: str | None) -> list[str]:
    """Placeholder names in ``text`` (``{{1}}`` and ``{name}``), unique, numbered first."""
    return _ordered(template_placeholders(text))


def tag_label(name: str) -> str:
    """How a placeholder is written in a template: ``"1"`` -> ``"{{1}}"``, ``"day"`` -> ``"{day}"``.

    Only ever shown (labels, hints, the picker's detail), never parsed back.
    """
    return f"{{{name}}}" if is_named(name) else f"{{{{{name}}}}}"


def placeholder_title(name: str) -> str:
    """A human label for a named placeholder: ``"card_number"`` -> ``"Card number"``.

    Numbered placeholders have no name to show; they keep their ``{{n}}``.
    """
    if not is_named(name):
        return tag_label(name)
    words = name.replace("_", " ").split()
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def _tag_names(tags: Iterable[object] | None) -> list[str]:
    names: list[str] = []
    for tag in tags or ():
        raw = tag.get("name") if isinstance(tag, Mapping) else getattr(tag, "name", tag)
        if isinstance(raw, str) and normalise_placeholder(raw):
            names.append(normalise_placeholder(raw))
    return names


def text_placeholders(template: TemplateLike) -> list[str]:
    """The keys of ``tags`` a send needs: the body's placeholders plus declared tags.

    The body is the truth (a missing value would leave ``{{2}}`` or ``{name}``
    in the customer's message); the declared ``tags`` are added in case the
    server knows of a placeholder the text does not show.
    """
    return _ordered([*placeholders_in(template.text), *_tag_names(template.tags)])


def button_placeholders(template: TemplateLike) -> list[str]:
    """The keys of ``button_tags``: placeholders in button values plus declared button tags."""
    names: list[str] = []
    for button in template.buttons or ():
        names.extend(placeholders_in(button.value))
    return _ordered([*names, *_tag_names(template.button_tags)])


def check_placeholder_value(value: str) -> str | None:
    """``None`` if WhatsApp accepts ``value`` as a placeholder value, else why not.

    WhatsApp refuses template parameters that contain line breaks, tabs or more
    than four spaces in a row; catching it here keeps the send from failing
    after the agent has moved on.  An empty value is left to the "required" check.
    """
    if "\n" in value or "\r" in value:
        return "A placeholder value cannot contain line breaks."
    if "\t" in value:
        return "A placeholder value cannot contain tabs."
    if "     " in value:
        return "A placeholder value cannot contain more than four spaces in a row."
    return None


def missing_placeholders(names: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """Names whose value is empty or only whitespace."""
    return [name for name in names if not (values.get(name) or "").strip()]


def button_titles(template: TemplateLike, name: str) -> str:
    """The titles of the buttons whose URL uses placeholder ``name``, quoted for a hint."""
    titles = [
        button.title
        for button in template.buttons
        if button.title and name in placeholders_in(button.value)
    ]
    return ", ".join(f"“{title}”" for title in titles)
