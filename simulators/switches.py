"""Fault and variant switches: a table of name -> (default, check), shared by every simulator.

Each simulator lists its own switches; this module holds the checks they have in common and the
table that hands out fresh defaults and refuses unknown names or values a switch does not take.
"""

from collections.abc import Callable, Mapping
import copy
from typing import Any

Check = Callable[[Any], bool]


def is_bool(value: Any) -> bool:
    """Accept JSON true or false."""
    return isinstance(value, bool)


def one_of(*choices: Any) -> Check:
    """Accept one of choices (a JSON true or false never counts as 1 or 0)."""
    return lambda value: not isinstance(value, bool) and value in choices


def int_between(low: float, high: float) -> Check:
    """Accept an integer (not a boolean) from low to high, both included."""
    return lambda value: (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    )


def number_between(low: float, high: float) -> Check:
    """Accept an integer or float (not a boolean) from low to high, both included."""
    return lambda value: (
        isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    )


is_rate = number_between(0, 1)


class SwitchTable:
    """Every switch of one simulator with its default and the values it takes."""

    def __init__(self, switches: Mapping[str, tuple[Any, Check]]) -> None:
        """Switches map a name to its default and its check."""
        self._switches = dict(switches)

    def defaults(self) -> dict[str, Any]:
        """Return a fresh copy of every switch at its default."""
        return {name: copy.deepcopy(default) for name, (default, _) in self._switches.items()}

    def validate(self, name: str, value: Any) -> None:
        """Raise KeyError for an unknown switch and ValueError for a value it does not take."""
        if name not in self._switches:
            raise KeyError(name)
        if not self._switches[name][1](value):
            raise ValueError(f"{value!r} is not a valid value for {name}")
