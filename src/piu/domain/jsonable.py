"""Domain dataclasses to JSON-safe data and back.

Booking versions are stored as JSON (``booking_versions.data``); rules and the analyst's
pages need them back as the same :mod:`piu.domain.booking` objects the readers produce.
The mapping is generic, driven by the dataclass fields and their type hints, so a field
added to the domain is stored and restored without touching this module.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from datetime import date, datetime, time
from typing import Any, TypeVar

__all__ = ["from_json", "to_json"]

T = TypeVar("T")


def to_json(value: Any) -> Any:
    """Domain objects as JSON-safe data (dates ISO 8601, enums by value)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin in (list, tuple, set, frozenset):
        (item,) = typing.get_args(hint)[:1] or (Any,)
        converted = [_convert(item, v) for v in value]
        return converted if origin is list else origin(converted)
    if origin is dict:
        _key, item = typing.get_args(hint) or (Any, Any)
        return {k: _convert(item, v) for k, v in value.items()}
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return from_json(hint, value)
        if issubclass(hint, enum.Enum):
            return hint(value)
        if hint is datetime:
            return datetime.fromisoformat(value)
        if hint is date:
            return date.fromisoformat(value)
        if hint is time:
            return time.fromisoformat(value)
    return value


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a ``cls`` instance from :func:`to_json` output; unknown keys are ignored
    (data stored by an older version keep loading after a field is removed)."""
    hints = _hints(typing.cast(type, cls))
    kwargs = {
        f.name: _convert(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data and f.init
    }
    return cls(**kwargs)
