"""Reading the gateway's hand-written JSON into models declared as data.

A model is a frozen dataclass deriving from WireModel: each field says what it holds by its type
(`int`, `str | None`, `datetime | None`, an enum, `tuple[Model, ...]`) and, where the wire is odd,
by `wire(...)` metadata (other keys, a reader of its own). One `from_wire` reads every model the
same lenient way: spelling and absence are forgiven, and whatever cannot be read is refused with
InvalidResponseError and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import Field, fields
from datetime import datetime
from enum import StrEnum
import re
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, get_args, get_origin, get_type_hints

from ..errors import InvalidResponseError
from .checks import MAX_PORT

type Reader = Callable[[str, Mapping[str, Any], tuple[str, ...]], Any]
"""Reads one field: (model name for errors, the object, the keys to try in order)."""

NULL_SENTINEL: Final = "<NULL>"
"""What the firmware writes instead of JSON null (register "down" pushes)."""

_WIRE: Final = "wire"
_INT_LIMIT: Final = 2**53
"""The largest integer a JSON number carries exactly; anything larger is not a gateway's."""
_INTEGER_TEXT: Final = re.compile(r"[+-]?[0-9]{1,16}(?:\.0*)?")
"""An integer as text: ASCII digits only (int() would also read Arabic-Indic ones), bounded."""
_TIME_FORMATS: Final = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d%H:%M:%S",  # the documented push example lost its space
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_USUAL_TIME: Final = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)", re.ASCII)
"""The first layout, as the gateway writes it in every push: read without strptime's cost."""


def wire_error(model: str, key: str, problem: str) -> InvalidResponseError:
    """Name the model and the field, never the value: the one error a model raises."""
    return InvalidResponseError(f"Dinstar {model}: field {key!r} {problem}")


def is_absent(value: Any) -> bool:
    """None, blank or the firmware's <NULL> all mean "not there"."""
    return value is None or (isinstance(value, str) and value.strip() in ("", NULL_SENTINEL))


def as_object(model: str, data: Any) -> Mapping[str, Any]:
    """Refuse anything but a JSON object where a model is expected."""
    if not isinstance(data, Mapping):
        raise InvalidResponseError(f"Dinstar {model}: expected an object")
    return data


def _as_int(model: str, key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise wire_error(model, key, "is a boolean, not an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER_TEXT.fullmatch(text := value.strip()):
        number = int(text.split(".", 1)[0])
    else:
        raise wire_error(model, key, "is not an integer")
    if abs(number) > _INT_LIMIT:
        raise wire_error(model, key, "is out of range")
    return number


def as_str(model: str, key: str, value: Any) -> str:
    """Read text as sent; a number where text goes is taken as its digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise wire_error(model, key, "is not a string")


def parse_time(value: str) -> datetime | None:
    """Gateway-local wall time; None when it does not look like one of the known layouts."""
    text = value.strip()
    if usual := _USUAL_TIME.fullmatch(text):
        try:
            year, month, day, hour, minute, second = map(int, usual.groups())
            return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - no zone
        except ValueError:
            return None  # no other layout matches this text either
    for layout in _TIME_FORMATS:
        try:
            return datetime.strptime(text, layout)  # noqa: DTZ007 - the gateway sends no zone
        except ValueError:
            continue
    return None


# --- readers: (model, object, keys) -> value ------------------------------------------------


def optional_int(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> int | None:
    """Read an integer given as a number or as text; absent is None."""
    value = data.get(keys[0])
    return None if is_absent(value) else _as_int(model, keys[0], value)


def require_int(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> int:
    """Read an integer that must be there."""
    number = optional_int(model, data, keys)
    if number is None:
        raise wire_error(model, keys[0], "is missing")
    return number


def require_port(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> int:
    """Read a SIM port as the wire numbers it: 0 to MAX_PORT."""
    port = require_int(model, data, keys)
    if not 0 <= port <= MAX_PORT:
        raise wire_error(model, keys[0], "is not a port of a gateway")
    return port


def optional_str(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """Read the first present key; identifiers are stripped (the doc's imsi ends in a space)."""
    for key in keys:
        value = data.get(key)
        if not is_absent(value):
            return as_str(model, key, value).strip()
    return None


def require_str(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """Read an identifier that must be there."""
    value = optional_str(model, data, keys)
    if value is None:
        raise wire_error(model, keys[0], "is missing")
    return value


def optional_text(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """Keep free text as sent, spaces included; only absence becomes None."""
    value = data.get(keys[0])
    if value is None or value == NULL_SENTINEL:
        return None
    return as_str(model, keys[0], value)


def text_or_empty(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """Read free text where a missing one is an empty one (a message, a menu label)."""
    return optional_text(model, data, keys) or ""


def optional_time(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> datetime | None:
    """Drop an unreadable time rather than lose the whole record around it."""
    value = data.get(keys[0])
    if is_absent(value):
        return None
    return parse_time(as_str(model, keys[0], value))


def list_of_objects(
    model: str, data: Mapping[str, Any], keys: tuple[str, ...]
) -> list[Mapping[str, Any]]:
    """Return the list under the first key present; a missing list is an empty one."""
    for key in keys:
        if key in data:
            value = data[key]
            if value is None:
                return []
            if not isinstance(value, list):
                raise wire_error(model, key, "is not a list")
            return [as_object(model, item) for item in value]
    return []


def _enum_reader[E: StrEnum](enum: type[E], *, optional: bool) -> Reader:
    def read(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> E | None:
        if optional:
            value = optional_str(model, data, keys)
            return None if value is None else enum(value)
        return enum(require_str(model, data, keys))

    return read


def _models_reader(model_type: type[WireModel]) -> Reader:
    def read(model: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(model_type.from_wire(item) for item in list_of_objects(model, data, keys))

    return read


_BY_TYPE: Final[Mapping[tuple[type, bool], Reader]] = {
    (int, False): require_int,
    (int, True): optional_int,
    (str, False): require_str,
    (str, True): optional_str,
    (datetime, True): optional_time,
}
"""What a field's type alone says about reading it: (type, may be None) -> reader."""


def _reader_for(hint: Any) -> Reader:
    """Choose the reader a field's type calls for; a type with no rule is a mistake here."""
    optional = False
    if isinstance(hint, UnionType):
        members = [member for member in get_args(hint) if member is not NoneType]
        optional = len(members) < len(get_args(hint))
        (hint,) = members
    if get_origin(hint) is tuple:
        (model_type, _) = get_args(hint)
        return _models_reader(model_type)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _enum_reader(hint, optional=optional)
    return _BY_TYPE[hint, optional]


def wire(*keys: str, read: Reader | None = None) -> dict[str, Any]:
    """Field metadata: the wire keys to try in order, and a reader when the type is not enough."""
    return {_WIRE: (keys, read)}


type _Plan = tuple[tuple[str, Reader, tuple[str, ...]], ...]
_PLANS: Final[dict[type, _Plan]] = {}


def _plan(model_type: type[WireModel]) -> _Plan:
    """Each field's name, reader and keys, worked out once per model."""
    if (known := _PLANS.get(model_type)) is not None:
        return known
    hints = get_type_hints(model_type)
    plan = []
    for item in fields(model_type):
        keys, read = item.metadata.get(_WIRE, ((), None))
        plan.append((item.name, read or _reader_for(hints[item.name]), keys or (item.name,)))
    _PLANS[model_type] = result = tuple(plan)
    return result


class WireModel:
    """Base of the models read from the gateway; subclasses are frozen dataclasses."""

    __slots__ = ()

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    WIRE_NAME: ClassVar[str]
    """What the model is called in error messages."""
    WIRE_INNER: ClassVar[str | None] = None
    """A key whose object is read instead, when the answer wraps the model in one."""

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        """Read every field as declared; refuse with InvalidResponseError only."""
        name = cls.WIRE_NAME
        data = as_object(name, data)
        if cls.WIRE_INNER is not None and cls.WIRE_INNER in data:
            data = as_object(name, data[cls.WIRE_INNER])
        make: Callable[..., Self] = cls
        return make(**{field: read(name, data, keys) for field, read, keys in _plan(cls)})
