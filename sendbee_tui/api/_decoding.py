"""Build models from decoded JSON: msgspec when the shape is the expected one,
field by field otherwise.

Why two paths. Building thousands of frozen dataclasses one ``__init__`` at a time
was the largest cost of listing contacts (more than the HTTP itself against a fast
server). ``msgspec.convert`` fills the same dataclasses in C, several times faster,
but it is all-or-nothing: one odd value (an id sent as a number, a tag sent as a
bare string, a ``null`` list) rejects the whole object. So:

* **fast path** - ``msgspec.convert(..., strict=False)`` into the model classes, then
  :func:`_finish` attaches ``raw`` to every object and re-reads the few values
  where msgspec's lenient rules differ from ours (naive timestamps are UTC here,
  ``"yes"`` is a boolean, a 13-digit number is milliseconds, aliases such as
  ``reject_reason``). The result is field for field what the tolerant path gives.
* **tolerant path** - one generic reader driven by the field annotations and the
  coercion table of :mod:`._coerce`. Used for an object the fast path rejected,
  and only for that object: one odd contact does not slow down its page.

Both read the same per-class plan, derived once from the dataclass annotations,
so a model is declared in one place (:mod:`.models`) and never parsed by hand.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, Union, cast, get_args, get_origin, get_type_hints

import msgspec

from ._coerce import as_bool, as_dict, as_dicts, as_int, as_str, as_strs, parse_timestamp

__all__ = ["build", "build_many"]

T = TypeVar("T")
UTC = timezone.utc

# Field kinds.
_TEXT, _STRS, _INT, _BOOL, _DATETIME, _ANY, _MODEL, _MODELS = range(8)
_COERCE: dict[int, Callable[[Any], Any]] = {
    _TEXT: as_str,
    _STRS: as_strs,
    _INT: as_int,
    _BOOL: as_bool,
    _DATETIME: parse_timestamp,
}
# Below this, an integer timestamp is seconds for both msgspec and parse_timestamp.
_SECONDS_LIMIT = 100_000_000_000


class _Field:
    """How to read one dataclass field: its JSON keys, its kind, its nested model
    (``object`` when the field holds none)."""

    __slots__ = ("keys", "kind", "model", "name", "set")

    def __init__(self, cls: type, name: str, keys: tuple[str, ...], kind: int, model: type) -> None:
        self.name = name
        self.keys = keys
        self.kind = kind
        self.model = model
        # The slot's own descriptor: writes a frozen dataclass field without __setattr__.
        self.set: Callable[[object, Any], None] = cls.__dict__[name].__set__


class _Plan:
    """Everything both paths need to know about one model class."""

    __slots__ = ("fields", "fixups", "list_type", "pairs", "scalar", "set_raw")

    def __init__(self, cls: type) -> None:
        hints = get_type_hints(cls)
        fields: list[_Field] = []
        for f in dataclasses.fields(cls):
            if f.name == "raw":
                continue
            kind, model = _classify(hints[f.name], cls, f.name)
            keys = (f.name, *f.metadata.get("aliases", ()))
            fields.append(_Field(cls, f.name, keys, kind, model))
        self.fields = tuple(fields)
        # Fields msgspec may not have read exactly as the tolerant path would.
        self.fixups = tuple(
            f
            for f in fields
            if f.kind in (_INT, _BOOL, _DATETIME, _MODEL, _MODELS) or len(f.keys) > 1
        )
        self.set_raw: Callable[[object, Any], None] = cls.__dict__["raw"].__set__
        self.list_type = types.GenericAlias(list, (cls,))
        self.scalar: tuple[str, tuple[type, ...]] | None = getattr(cls, "_scalar", None)
        self.pairs: bool = getattr(cls, "_pairs", False)


def _classify(hint: object, cls: type, name: str) -> tuple[int, type]:
    """The kind of a field from its annotation (see :mod:`.models` for the vocabulary)."""
    if hint is Any:
        return _ANY, object
    origin = get_origin(hint)
    args = get_args(hint)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        simple = {str: _TEXT, int: _INT, bool: _BOOL, datetime: _DATETIME}
        if len(rest) == 1 and rest[0] in simple:
            return simple[rest[0]], object
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is str:
            return _STRS, object
        if isinstance(args[0], type) and dataclasses.is_dataclass(args[0]):
            return _MODELS, args[0]
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _MODEL, hint
    raise TypeError(f"{cls.__name__}.{name}: no reader for the annotation {hint!r}")


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


# --- fast path --------------------------------------------------------------------

Finisher = Callable[[object, Mapping[str, Any]], None]
_FINISHERS: dict[type, Finisher] = {}


def _finisher(cls: type) -> Finisher:
    """The function that completes what msgspec built for ``cls`` (see module doc).

    It attaches ``raw`` to the object and its nested models and re-reads the values
    where msgspec's lenient rules differ from ours: naive timestamps are UTC here,
    a 13-digit number is milliseconds, ``"yes"`` is a boolean, and aliased keys
    (``reject_reason``) count when the main key is absent.

    It runs for every object of every page, so, like :mod:`dataclasses` does for
    ``__init__``, its source is generated once per class from the plan: straight-line
    code with the field names inlined runs about twice as fast as a loop over the
    plan. Only identifiers (dataclass field names) and ``repr()`` of JSON keys are
    written into the source.
    """
    done = _FINISHERS.get(cls)
    if done is not None:
        return done
    plan = _plan(cls)
    namespace: dict[str, object] = {
        "UTC": UTC,
        "LIMIT": _SECONDS_LIMIT,
        "set_raw": plan.set_raw,
    }
    lines = ["def finish(obj, d):"]
    for i, f in enumerate(plan.fixups):
        name, kind = f.name, f.kind
        namespace[f"put{i}"] = f.set
        if kind in (_MODEL, _MODELS):
            namespace[f"sub{i}"] = _finisher(f.model)
            if kind == _MODELS:
                lines += [
                    f"    for o, r in zip(obj.{name}, d.get({name!r}) or ()):",
                    f"        sub{i}(o, r)",
                ]
            else:
                lines += [
                    f"    r = d.get({name!r})",
                    "    if type(r) is dict:",
                    f"        sub{i}(obj.{name}, r)",
                ]
            continue
        namespace[f"coerce{i}"] = _COERCE[kind]
        lines += [f"    if {name!r} in d:", f"        r = d[{name!r}]"]
        if kind == _DATETIME:
            lines += [
                "        if r is None: pass",
                f"        elif type(r) is str and len(r) == 19 and obj.{name}.tzinfo is None:",
                f"            put{i}(obj, obj.{name}.replace(tzinfo=UTC))",
                "        elif type(r) is not int or not -LIMIT < r < LIMIT:",
                f"            put{i}(obj, coerce{i}(r))",
            ]
        elif kind in (_INT, _BOOL):
            native = "int" if kind == _INT else "bool"
            lines += [
                f"        if r is not None and type(r) is not {native}:",
                f"            put{i}(obj, coerce{i}(r))",
            ]
        else:
            lines += ["        pass"]
        for key in f.keys[1:]:  # an alias counts only when the main key is absent
            lines += [f"    elif {key!r} in d:", f"        put{i}(obj, coerce{i}(d[{key!r}]))"]
    lines.append("    set_raw(obj, d)")
    exec("\n".join(lines), namespace)
    finish = cast(Finisher, namespace["finish"])
    _FINISHERS[cls] = finish
    return finish


def build(cls: type[T], data: Any) -> T:
    """One model from decoded JSON (an object, or whatever else arrived); never raises."""
    plan = _plan(cls)
    if type(data) is dict:
        try:
            obj: T = msgspec.convert(data, cls, strict=False)
        except (msgspec.ValidationError, RecursionError):
            pass
        else:
            _finisher(cls)(obj, data)
            return obj
    return _tolerant(cls, plan, data)


def build_many(cls: type[T], data: Any) -> list[T]:
    """Models from a JSON list (a lone object counts as a list of one; junk is skipped)."""
    items = as_dicts(data)
    plan = _plan(cls)
    try:
        objs: list[T] = msgspec.convert(items, plan.list_type, strict=False)
    except (msgspec.ValidationError, RecursionError):
        return [build(cls, item) for item in items]
    finish = _finisher(cls)
    for obj, item in zip(objs, items, strict=True):
        finish(obj, item)
    return objs


# --- tolerant path ----------------------------------------------------------------


def _tolerant(cls: type[T], plan: _Plan, data: Any) -> T:
    if type(data) is dict or isinstance(data, Mapping):
        d: Mapping[str, Any] = data
    elif plan.scalar and isinstance(data, plan.scalar[1]) and not isinstance(data, bool):
        d = {plan.scalar[0]: data}
    else:
        d = as_dict(data)
    values: dict[str, Any] = {}
    for f in plan.fields:
        value = None
        for key in f.keys:
            if key in d:
                value = d[key]
                break
        if f.kind == _MODEL:
            values[f.name] = _tolerant(f.model, _plan(f.model), value)
        elif f.kind == _MODELS:
            values[f.name] = _tolerant_many(f.model, value)
        elif f.kind == _ANY:
            values[f.name] = value
        else:
            values[f.name] = _COERCE[f.kind](value)
    factory: Callable[..., T] = cls
    return factory(**values, raw=d)


def _tolerant_many(cls: type[T], value: Any) -> tuple[T, ...]:
    plan = _plan(cls)
    if isinstance(value, (list, tuple)):
        scalar = plan.scalar[1] if plan.scalar else ()
        return tuple(
            _tolerant(cls, plan, item)
            for item in value
            if isinstance(item, Mapping)
            or (isinstance(item, scalar) and not isinstance(item, bool))
        )
    if isinstance(value, Mapping):
        if plan.pairs and "key" not in value and "name" not in value:
            # {"City": "Zagreb"}: the write calls' shape of a contact's field values.
            return tuple(_tolerant(cls, plan, {"key": k, "value": v}) for k, v in value.items())
        return (_tolerant(cls, plan, value),)
    return ()
