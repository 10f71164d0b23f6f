"""Canned replies ("snippets"): placeholders, search and edits, without any UI.

Snippets live in ``config.toml`` under ``[snippets]`` (``name = "text"``,
read into ``AppConfig.snippets`` in file order, written back by
:func:`sendbee_tui.config.save_snippets`).  This module holds everything about
them that needs no terminal, so it is tested on its own:

* :func:`fill` puts the open conversation's contact into the placeholders
  ``{name}``, ``{first_name}``, ``{phone}`` and ``{field:Field name}``.  A value
  that is not known is *not* guessed or blanked: the placeholder stays as written
  so the agent sees what to fill before sending, and :attr:`Filled.missing` lists
  it for the composer's notice.  Anything else in braces (``{order}``, a lone
  ``{``, WhatsApp-style ``{{1}}``) is ordinary text and stays as it is.
* :func:`search` ranks snippets for the picker by name first, then text.
* :func:`with_snippet` / :func:`without_snippet` are the edits the snippets
  screen makes, as new mappings in the order they are stored.

Contact values come from customers (a name may be ``[bold]Ana``).  They are only
ever substituted into plain text here; the UI shows the result as literal
Content and inserts it into a TextArea, never through markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "PLACEHOLDER_HELP",
    "ContactValues",
    "Filled",
    "SnippetMatch",
    "contact_values",
    "fill",
    "first_line",
    "names_clash",
    "search",
    "with_snippet",
    "without_snippet",
]

#: One line for forms and empty states: the placeholders a snippet may use.
PLACEHOLDER_HELP = "Placeholders: {name} {first_name} {phone} {field:Field name}"

# ``{name}``, ``{first_name}``, ``{phone}``, ``{field:Some field}``; the keyword in
# any case.  Doubled braces are not ours ("{{1}}" is how WhatsApp templates write
# variables, and an agent may paste one), so a brace next to another is left alone.
_PLACEHOLDER = re.compile(
    r"(?<!\{)\{(?:(?P<word>name|first_name|phone)|field:(?P<field>[^{}\n]+))\}(?!\})",
    re.IGNORECASE,
)


def _squash(text: str) -> str:
    """Compare names the way people read them: any case, any run of spaces."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class ContactValues:
    """What a snippet can be filled with: the open conversation's contact.

    Empty strings mean "not known"; ``fields`` maps custom field names to their
    value as text.
    """

    name: str = ""
    phone: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        """The first word of the name (``"Ana"`` of ``"Ana Horvat"``)."""
        words = self.name.split()
        return words[0] if words else ""

    def field(self, wanted: str) -> str:
        """The value of custom field ``wanted`` ("" if unknown); exact name first, then loosely."""
        value = self.fields.get(wanted)
        if value:
            return value
        key = _squash(wanted)
        for name, value in self.fields.items():
            if _squash(name) == key and value:
                return value
        return ""


def _as_text(value: Any) -> str:
    """A custom field's JSON value as the text a reply would say ("" for no value)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_as_text(item) for item in value if _as_text(item))
    return str(value).strip()


def _text_attr(obj: Any, attr: str) -> str:
    value = getattr(obj, attr, None)
    return value.strip() if isinstance(value, str) else ""


def contact_values(summary: Any, contact: Any = None) -> ContactValues:
    """Values from a conversation's contact summary and, when loaded, the full contact.

    ``summary`` is ``Conversation.contact`` (name and phone), ``contact`` the full
    :class:`~sendbee_tui.api.Contact` (``InboxService.contact_for``) that also has
    the custom fields; the full record wins where both have a value (it is the
    fresher of the two).  Either may be ``None``.
    """
    name = _text_attr(contact, "name") or _text_attr(summary, "name")
    phone = _text_attr(contact, "phone") or _text_attr(summary, "phone")
    fields: dict[str, str] = {}
    for item in getattr(contact, "contact_fields", ()) or ():
        key = getattr(item, "key", None)
        value = _as_text(getattr(item, "value", None))
        if isinstance(key, str) and key and value:
            fields.setdefault(key, value)
    return ContactValues(name=name, phone=phone, fields=fields)


class Filled(NamedTuple):
    """A snippet with its placeholders filled in.

    ``parts`` is the same text in pieces, each marked True when it is a
    placeholder still waiting for a value (the picker's preview highlights those).
    """

    text: str
    missing: tuple[str, ...]
    parts: tuple[tuple[str, bool], ...]


def fill(text: str, values: ContactValues) -> Filled:
    """Fill ``text``'s placeholders from ``values``; unknown ones stay as written.

    ``missing`` lists each placeholder left in the text once, as written
    (``{field:Order id}``), in order of appearance.
    """
    parts: list[tuple[str, bool]] = []
    missing: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        word = (match.group("word") or "").lower()
        wanted = (match.group("field") or "").strip()
        if not word and not wanted:
            continue  # "{field: }": names no field, so it is just text
        if word == "name":
            value = values.name
        elif word == "first_name":
            value = values.first_name
        elif word == "phone":
            value = values.phone
        else:
            value = values.field(wanted)
        if match.start() > pos:
            parts.append((text[pos : match.start()], False))
        if value:
            parts.append((value, False))
        else:
            parts.append((match.group(0), True))
            if match.group(0) not in missing:
                missing.append(match.group(0))
        pos = match.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return Filled("".join(p for p, _ in parts), tuple(missing), tuple(parts))


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SnippetMatch:
    """One snippet that matched a query: ``name_positions`` are the matched name letters."""

    name: str
    text: str
    score: float
    name_positions: tuple[int, ...] = ()


def _subsequence(query: str, name: str) -> tuple[int, ...] | None:
    """Leftmost positions of ``query``'s letters in order within ``name`` (None if absent).

    Linear time.  Textual's ``FuzzySearch`` tries every combination of
    positions, which is fine for command names but explodes on a long snippet
    text, so the picker scores with this and the word checks in :func:`_score`.
    """
    positions: list[int] = []
    start = 0
    for letter in query:
        if letter.isspace():
            continue
        found = name.find(letter, start)
        if found < 0:
            return None
        positions.append(found)
        start = found + 1
    return tuple(positions)


def _score(query: str, name: str, text: str) -> tuple[float, tuple[int, ...]] | None:
    """How well ``query`` (already squashed) fits a snippet: name beats text."""
    lowered = name.lower()
    # Highlight positions only when lowering kept every letter in place (it does
    # for nearly all names; "İ" is one letter that becomes two).
    exact_positions = len(lowered) == len(name)
    words = query.split()
    if lowered == query:
        score, positions = 100.0, tuple(range(len(name)))
    elif query in lowered:
        at = lowered.find(query)
        score = 90.0 if at == 0 else 80.0
        positions = tuple(range(at, at + len(query)))
    elif all(word in lowered for word in words):
        score = 70.0
        positions = tuple(
            sorted({i for w in words for i in range(lowered.find(w), lowered.find(w) + len(w))})
        )
    elif (found := _subsequence(query, lowered)) is not None:
        span = found[-1] - found[0] + 1 if found else 1
        score, positions = 40.0 + 20.0 * len(found) / span, found
    elif all(word in _squash(text) for word in words):
        score, positions = 20.0, ()
    else:
        return None
    return score, positions if exact_positions else ()


def search(snippets: Mapping[str, str], query: str) -> list[SnippetMatch]:
    """Snippets that fit ``query``, best first; ties (and an empty query) keep the file order.

    Name matches rank above text matches: the whole name, a part of it, all the
    query's words, then its letters in order ("ty" finds "thank you").  A snippet
    whose name does not match is found when every word of the query is in its text.
    """
    wanted = _squash(query)
    if not wanted:
        return [SnippetMatch(name, text, 0.0) for name, text in snippets.items()]
    found: list[SnippetMatch] = []
    for name, text in snippets.items():
        scored = _score(wanted, name, text)
        if scored is not None:
            found.append(SnippetMatch(name, text, scored[0], scored[1]))
    found.sort(key=lambda m: -m.score)  # stable: equal scores stay in file order
    return found


def first_line(text: str, width: int = 60) -> str:
    """The first non-blank line of ``text``, cut to ``width`` with an ellipsis."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    more = len(line) > width or len([ln for ln in text.splitlines() if ln.strip()]) > 1
    if len(line) > width:
        line = line[: width - 1].rstrip()
    return line + "…" if more else line


# --------------------------------------------------------------------------- edits


def with_snippet(
    snippets: Mapping[str, str], name: str, text: str, *, replacing: str | None = None
) -> dict[str, str]:
    """``snippets`` with ``name = text`` added, or put in place of ``replacing``.

    Editing keeps the snippet's place in the list even when it is renamed; a
    new one goes last.  ``name`` must not be another snippet's name (the form
    checks that first; here it would silently merge two snippets).
    """
    if name != replacing and name in snippets:
        raise ValueError(f"a snippet named {name!r} already exists")
    if replacing is None or replacing not in snippets:
        return {**snippets, name: text}
    return {
        (name if key == replacing else key): (text if key == replacing else value)
        for key, value in snippets.items()
    }


def without_snippet(snippets: Mapping[str, str], name: str) -> dict[str, str]:
    """``snippets`` without ``name`` (unchanged if there is no such snippet)."""
    return {key: value for key, value in snippets.items() if key != name}


def names_clash(name: str, existing: Iterable[str], *, current: str | None = None) -> bool:
    """Whether ``name`` is taken by another snippet (any case, any spacing)."""
    key = _squash(name)
    if current is not None and _squash(current) == key:
        return False
    return any(_squash(other) == key for other in existing)
