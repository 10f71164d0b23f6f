"""Client-side field checks: each takes a field's value and returns an error or ``None``.

They run before anything is sent, so bad input never reaches the API and the
agent reads the problem under the field instead of as a server refusal later.
Every validator except :func:`required` accepts an empty value, so a field is
optional unless :func:`required` is added (``FormField(required=True)``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from sendbee_tui.api.validation import validate_phone

__all__ = [
    "FieldValidator",
    "http_url",
    "is_empty",
    "iso_date",
    "non_empty_options",
    "number",
    "parse_options",
    "phone_number",
    "required",
    "unique_name",
]

#: A client-side validator: takes the field's current value, returns an error
#: message or ``None`` when the value is acceptable.  The value is whatever the
#: control holds (text, a bool, a tuple of selections, ``None``).
FieldValidator = Callable[[object], "str | None"]


def is_empty(value: object) -> bool:
    """Blank text, ``None`` or an empty collection: what "required" refuses."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return not value
    return False


def required(message: str = "This field is required.") -> FieldValidator:
    """Refuse an empty value (blank text, no selection, empty list)."""

    def check(value: object) -> str | None:
        return message if is_empty(value) else None

    return check


_PHONE_JUNK = re.compile(r"[\s\-().]")


def phone_number(value: object) -> str | None:
    """Check an E.164 phone number (``+`` then 8 to 15 digits).

    The rule itself is :func:`sendbee_tui.api.validation.validate_phone` (one
    definition for the client and the forms).  What the form adds is a hint for the
    most common mistake, a number typed in local format: ``0912345678`` gets
    "drop the leading 0 and add the country code, e.g. +<country code>912345678",
    ``00385...`` gets "+385...".
    """
    if is_empty(value):
        return None
    text = str(value).strip()
    try:
        validate_phone(text)
    except ValueError as exc:
        return _phone_hint(text) or str(exc)
    return None


def _phone_hint(text: str) -> str | None:
    """A country-code hint for a number that looks local, or ``None``."""
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("00") and digits[2:].isdigit() and len(digits) > 4:
        return f"Use + instead of 00 for the country code, e.g. +{digits[2:]}."
    if digits.isdigit():
        if digits.startswith("0"):
            return (
                "This looks like a local number. Add the country code and drop the "
                f"leading 0, e.g. +<country code>{digits[1:]} (+44{digits[1:]} for the UK)."
            )
        return (
            "Start with + and the country code, "
            f"e.g. +{digits} if it already begins with the country code."
        )
    if digits.startswith("+") and digits[1:].isdigit():
        if digits[1:2] == "0":
            return "After + comes the country code, which never starts with 0."
        return "A phone number has 8 to 15 digits after the +."
    return None


def http_url(value: object) -> str | None:
    """Check an absolute ``http://`` or ``https://`` URL with a plausible host."""
    if is_empty(value):
        return None
    text = str(value).strip()
    if not re.match(r"(?i)https?://", text) or re.search(r"\s", text):
        return "Enter a web address starting with http:// or https://"
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    if host == "localhost" or ":" in host:  # localhost or an IPv6 literal
        return None
    labels = host.split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[\w-]+", label) for label in labels):
        return "The web address needs a host name, e.g. https://example.com/file.pdf"
    return None


def number(value: object) -> str | None:
    """Check a decimal number (``12``, ``-3.5``, ``1e3``); commas are not accepted."""
    if is_empty(value):
        return None
    text = str(value).strip()
    try:
        parsed = float(text)
    except ValueError:
        return "Enter a number, e.g. 42 or 3.5"
    if parsed != parsed or parsed in (float("inf"), float("-inf")):
        return "Enter a finite number."
    return None


def iso_date(value: object) -> str | None:
    """Check a calendar date written ``YYYY-MM-DD`` (and that the day exists)."""
    if is_empty(value):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "Enter a date as YYYY-MM-DD, e.g. 2024-03-31"
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return "That day does not exist (YYYY-MM-DD)."
    return None


def parse_options(value: object) -> list[str]:
    """The options of a list field: one per line (or an iterable), trimmed, no blanks or repeats."""
    if isinstance(value, str):
        items: list[object] = list(value.splitlines())
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        items = []
    seen: set[str] = set()
    options: list[str] = []
    for item in items:
        option = str(item).strip()
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            options.append(option)
    return options


def non_empty_options(value: object) -> str | None:
    """Refuse a list-field options editor with no options in it."""
    if not parse_options(value):
        return "A list field needs at least one option (one per line)."
    return None


def unique_name(
    existing: Iterable[str] | Callable[[], Iterable[str]],
    *,
    current: str | None = None,
    what: str = "item",
) -> FieldValidator:
    """Refuse a name already in ``existing`` (case- and space-insensitive).

    ``current`` is the object's own name when editing, so keeping it is allowed.
    ``existing`` may be a callable so the check uses the list as loaded *now*.
    """

    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    def check(value: object) -> str | None:
        if is_empty(value):
            return None
        names = existing() if callable(existing) else existing
        wanted = key(str(value))
        if current is not None and key(current) == wanted:
            return None
        if any(key(name) == wanted for name in names):
            return f"A {what} with this name already exists."
        return None

    return check
