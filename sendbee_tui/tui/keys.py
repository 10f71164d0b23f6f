"""The key registry: every binding of the app, defined once, by id.

Screens and widgets take their ``BINDINGS`` from here (:func:`bindings`); the
help screen, the command palette, the footer and the ``g`` menu are derived
from the same table, and a user's ``[keymap]`` (``"inbox.done" = "x"``) is
checked against it (:func:`check_keymap`) before Textual applies it.  So a key
is typed in exactly one place, and what help shows is what the keys do.

A spec with ``fixed=True`` documents a key that is handled outside Textual's
binding machinery (Enter in the composer, Tab between panes): it appears in
help but cannot be rebound, and the keymap check says so.  A spec with no
keys is a palette command only (nothing to press, nothing to rebind).

The table itself is in :mod:`sendbee_tui.tui.key_specs`; this module is what
the rest of the app calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingType
from textual.keys import Keys, _character_to_key, format_key

from sendbee_tui.tui.key_specs import GROUPS, SPEC_TABLE, KeySpec

__all__ = [
    "GROUPS",
    "SPECS",
    "KeySpec",
    "bindings",
    "check_keymap",
    "fill_keys",
    "help_rows",
    "help_sections",
    "hint_key",
    "hint_keys",
    "key_label",
    "key_names",
    "keymap_in_force",
    "keys_for",
    "palette_specs",
    "spec",
    "spec_label",
]

#: Every spec by id.
SPECS: dict[str, KeySpec] = {s.id: s for s in SPEC_TABLE}
if len(SPECS) != len(SPEC_TABLE):  # pragma: no cover - a typo in the table
    raise RuntimeError("duplicate binding id in the key registry")

#: Help headings shown only when help is opened from a screen that binds them
#: (the stand-alone ``sendbee-tui setup`` app's keys mean nothing in the inbox,
#: claims exist only in a team session).
_HELP_ONLY_WHEN_HERE = frozenset({"setup", "team"})


def spec(binding_id: str) -> KeySpec:
    """The spec with this id (KeyError names an unknown one)."""
    return SPECS[binding_id]


def bindings(
    *scopes: str,
    only: Iterable[str] | None = None,
    actions: Mapping[str, str] | None = None,
    **labels: str,
) -> list[BindingType]:
    """Textual bindings for ``scopes`` (and the ids in ``only``), in registry order.

    ``labels`` maps an id (with ``_`` for ``.``) to a description, for a screen
    that labels a shared binding differently (the template form's
    ``form.submit`` says "Send", not "Save").  ``actions`` maps an id to the
    action this screen runs for it, for a screen whose widget names the same
    move differently (an OptionList's top is ``home``, a DataTable's
    ``ctrl+home``); the id, and so the user's keymap entry, stays the same.
    """
    wanted = set(only or ())
    out: list[BindingType] = []
    for s in SPEC_TABLE:
        if s.fixed or not s.keys or not (s.scope in scopes or s.id in wanted):
            continue
        out.append(
            Binding(
                s.keys,
                (actions or {}).get(s.id, s.action),
                labels.get(s.id.replace(".", "_"), s.description),
                show=s.show,
                priority=s.priority,
                key_display=s.key_display,
                id=s.id,
            )
        )
    return out


def keys_for(binding_id: str, keymap: Mapping[str, str] | None = None) -> str:
    """The keys in force for an id: the user's keymap entry, else the default."""
    if keymap and binding_id in keymap:
        return keymap[binding_id]
    return SPECS[binding_id].keys


def key_names(keys: str) -> list[str]:
    """Textual's names of comma-separated keys (``"?,x"`` -> ``["question_mark", "x"]``).

    What a :class:`~textual.events.Key` event's ``key`` is for each of them, as
    Textual normalizes a keymap.
    """
    names = [k.strip() for k in keys.split(",") if k.strip()]
    return [_character_to_key(k) if len(k) == 1 else k for k in names]


def key_label(keys: str) -> str:
    """``"question_mark,f1"`` -> ``"? / F1"``: how help and the palette show keys."""
    return " / ".join(format_key(k.strip()) for k in keys.split(",") if k.strip())


def spec_label(binding_id: str, keymap: Mapping[str, str] | None = None) -> str:
    """The keys in force for an id, followed by the keys a widget handles alike."""
    s = SPECS[binding_id]
    return " / ".join(
        label for label in (key_label(keys_for(binding_id, keymap)), key_label(s.also)) if label
    )


def hint_key(binding_id: str, keymap: Mapping[str, str] | None = None) -> str:
    """The key to name in a sentence ("press t to ..."): the first key in force.

    Hints written into screen text use this, so that after ``"inbox.template" = "T"``
    the composer says "press T", not the default.  Modifiers read as words
    (``Ctrl+S``); a spec's ``key_display`` is used while its default is in force.
    """
    keys = keys_for(binding_id, keymap)
    first = keys.split(",")[0].strip()
    s = SPECS[binding_id]
    if s.key_display and keys == s.keys:
        return s.key_display
    *mods, base = first.split("+")
    shown = format_key(base)
    if len(shown) == 1 and mods:
        shown = shown.upper()
    elif len(shown) > 1 and shown.isalnum():
        shown = shown.capitalize()  # f2 -> F2, delete -> Delete
    return "+".join([*(m.capitalize() for m in mods), shown])


_KEY_FIELD = re.compile(r"\{key:([a-z_]+\.[a-z_]+)\}")


def hint_keys(app: object, scope: str) -> dict[str, str]:
    """Binding id -> :func:`hint_key` for every binding of ``scope``, with the app's keymap."""
    keymap = keymap_in_force(app)
    return {s.id: hint_key(s.id, keymap) for s in SPEC_TABLE if s.scope == scope and s.keys}


def fill_keys(text: str, keymap: Mapping[str, str] | None = None) -> str:
    """Replace ``{key:app.setup}`` in a message written outside the TUI with the key in force.

    The command line writes its notices (the demo's "press S to connect an account")
    before Textual is imported; the app fills them in with the user's keymap.
    Unknown ids are left as written.
    """
    return _KEY_FIELD.sub(
        lambda m: hint_key(m.group(1), keymap) if m.group(1) in SPECS else m.group(0), text
    )


def keymap_in_force(app: object) -> dict[str, str]:
    """The part of ``app.config.keymap`` the app applied (see :func:`check_keymap`).

    Help and the palette show keys with it; an app without a config (a test
    host, a screen not mounted yet) has the defaults.
    """
    keymap = getattr(getattr(app, "config", None), "keymap", None)
    if not isinstance(keymap, Mapping) or not keymap:
        return {}
    return check_keymap(keymap)[0]


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys}
#: Textual's names for printable ASCII punctuation ("slash", "question_mark", ...).
_CHARACTER_NAMES = {_character_to_key(chr(c)) for c in range(33, 127)}


def _valid_key(key: str) -> bool:
    """True for a key Textual can bind: ``x``, ``X``, ``ctrl+x``, ``f5``, ``question_mark``."""
    parts = key.strip().split("+")
    base = parts[-1]
    if not base or any(p not in _MODIFIERS for p in parts[:-1]):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED or base.lower() in _NAMED:
        return True
    # Unicode names as Textual writes them: "question_mark", "full_stop", "slash", ...
    return base in _CHARACTER_NAMES


def check_keymap(keymap: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Split a user's ``[keymap]`` into what can be applied and notices about the rest.

    An unknown id, a key that is not a key, or a fixed binding gives a notice
    naming it; everything else is kept, so one typo never stops the app.
    """
    good: dict[str, str] = {}
    notices: list[str] = []
    for binding_id, value in keymap.items():
        if binding_id not in SPECS:
            notices.append(f"[keymap] {binding_id!r}: no binding has this id (see ? for ids)")
            continue
        if SPECS[binding_id].fixed:
            notices.append(f"[keymap] {binding_id!r}: this key cannot be rebound")
            continue
        if not SPECS[binding_id].keys:
            notices.append(
                f"[keymap] {binding_id!r}: a command palette entry with no key; it cannot be bound"
            )
            continue
        if not isinstance(value, str) or not value.strip():
            notices.append(f'[keymap] {binding_id!r}: keys must be a string like "x" or "ctrl+x"')
            continue
        bad = [k for k in value.split(",") if not _valid_key(k)]
        if bad:
            notices.append(
                f"[keymap] {binding_id!r}: {', '.join(repr(b) for b in bad)} is not a key"
            )
            continue
        good[binding_id] = ",".join(k.strip() for k in value.split(","))
    return good, notices


def help_rows(
    scopes: Iterable[str], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str, str]]:
    """(heading, keys, description, id) for the scopes given, with the keys in force.

    The ``g`` menu's entries are shown as two-key sequences (``g c``).  Palette
    commands with no key are left out (help is about keys).
    """
    rows: list[tuple[str, str, str, str]] = []
    goto_prefix = key_label(keys_for("inbox.goto", keymap)).split(" / ")[0]
    for scope in scopes:
        for s in SPEC_TABLE:
            if s.scope != scope or not s.keys:
                continue
            label = spec_label(s.id, keymap)
            if scope == "goto":
                label = f"{goto_prefix} {label}"
            rows.append((GROUPS.get(scope, scope), label, s.text, s.id))
    return rows


def help_sections(
    first: Iterable[str] = (), keymap: Mapping[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Every key, as (heading, [(keys, description, id), ...]), each heading once.

    The headings of the scopes in ``first`` (the screen help was opened from)
    come first, the rest in :data:`GROUPS` order.  ``inbox.goto`` is listed
    with the ``g`` menu it opens.
    """
    leading = [s for s in first if s in GROUPS]
    rest = [s for s in GROUPS if s not in leading and s not in _HELP_ONLY_WHEN_HERE]
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for heading, keys, text, binding_id in help_rows([*leading, *rest], keymap):
        if binding_id == "inbox.goto":
            heading, text = GROUPS["goto"], "Open the go-to menu (then one of these keys)"
        sections.setdefault(heading, []).append((keys, text, binding_id))
    return list(sections.items())


def palette_specs(*scopes: str) -> list[KeySpec]:
    """Specs offered in the command palette for these scopes."""
    return [s for s in SPEC_TABLE if s.palette and s.scope in scopes]
