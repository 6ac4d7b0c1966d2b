"""Caller input checked before anything reaches the gateway, so a mistake costs no request."""

from collections.abc import Iterable, Sequence
from typing import Final

from ..errors import InvalidInputError
from ..text import normalise_number

MAX_PORT: Final = 31
MAX_USSD_BYTES: Final = 60


def check_port(port: int) -> int:
    """Allow what the wire allows (0-31); the gateway itself refuses ports it does not have."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= MAX_PORT:
        raise InvalidInputError(f"A port must be an integer from 0 to {MAX_PORT}")
    return port


def check_ports(ports: Iterable[int] | None) -> list[int] | None:
    """None means "let the gateway choose / all ports"; an explicit empty list is a mistake."""
    if ports is None:
        return None
    checked = list(dict.fromkeys(check_port(port) for port in ports))
    if not checked:
        raise InvalidInputError("The list of ports is empty")
    return checked


def normalise_numbers(numbers: Iterable[str]) -> list[str]:
    """Normalise every number and report all bad ones at once, by position and masked."""
    good: list[str] = []
    problems: list[str] = []
    for position, number in enumerate(numbers, start=1):
        try:
            good.append(normalise_number(number))
        except InvalidInputError as err:
            problems.append(f"#{position}: {err}")
    if problems:
        raise InvalidInputError("Invalid phone numbers: " + "; ".join(problems))
    return good


def check_text(text: str, what: str) -> str:
    """Refuse an empty or blank text; `what` names it in the error."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(f"The {what} is empty")
    return text


def check_ussd_text(text: str) -> str:
    """Refuse a blank USSD code or one over the 60 bytes the gateway takes."""
    check_text(text, "USSD code")
    if len(text.encode()) > MAX_USSD_BYTES:
        raise InvalidInputError(f"A USSD code is at most {MAX_USSD_BYTES} bytes")
    return text


def check_user_id(user_id: int | None) -> int | None:
    """Allow no user_id, or a non-negative integer one."""
    if user_id is not None and (
        isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 0
    ):
        raise InvalidInputError("A user_id must be a non-negative integer")
    return user_id


def chunks[T](items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Split items into runs of at most size, for endpoints with a per-request limit."""
    return [items[start : start + size] for start in range(0, len(items), size)]
