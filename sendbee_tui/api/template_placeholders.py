"""Which placeholders a template text has, in both spellings the API knows.

WhatsApp templates number their placeholders (``"Hi {{1}}, your code is {{2}}"``,
filled with ``tags={"1": ..., "2": ...}``), while Sendbee's own documentation
also shows named ones (``"Welcome {name}!"`` filled with ``tags={"name": ...}``).
A form that asks for the values, or a check that none is missing before a send,
needs the list of names from the text alone; this module gives it without any
I/O so the TUI and scripts can share it.
"""

from __future__ import annotations

import re

__all__ = ["template_placeholders"]

# ``{{1}}`` / ``{{ first_name }}`` first, so a doubled brace is never read as ``{1}``;
# then ``{name}``: an identifier in single braces (``{1}`` and ``{ }`` are plain text).
_PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<double>[A-Za-z0-9_]+)\s*\}\}|\{(?P<single>[A-Za-z_][A-Za-z0-9_]*)\}"
)


def template_placeholders(text: str | None) -> tuple[str, ...]:
    """Placeholder names in ``text`` in order of first appearance, each once.

    >>> template_placeholders("Hi {{1}}, {name} says {{2}} to {{1}}")
    ('1', 'name', '2')

    The names are the keys ``messages.send_template(tags=...)`` takes.
    """
    if not text:
        return ()
    seen: dict[str, None] = {}
    for match in _PLACEHOLDER.finditer(text):
        seen.setdefault(match.group("double") or match.group("single"), None)
    return tuple(seen)
