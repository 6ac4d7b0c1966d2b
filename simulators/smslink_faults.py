"""The SMSLink variant and fault switches of spec §3.8, plus the callback knobs of §3.6.

Every point the spec marks unknown is a switch here, so a test can play each variant.
"""

from collections.abc import Callable
import copy
from typing import Any

# Spec §3.8 `error_codes`: the real codes are unknown, so each failure has a (code, text) pair.
DEFAULT_ERROR_CODES: dict[str, list[Any]] = {
    "auth": [2, "Invalid connection_id or password."],
    "missing_parameter": [3, "A required parameter is missing."],
    "bad_number": [5, "Invalid receiver number."],
    "bad_sender": [6, "Sender not allowed."],
    "no_credit": [7, "Insufficient credit."],
    "bad_package": [8, "Invalid package."],
}

_PAIR = 2


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_int_between(low: float, high: float) -> Callable[[Any], bool]:
    return lambda value: (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    )


def _is_number_between(low: float, high: float) -> Callable[[Any], bool]:
    return lambda value: (
        isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    )


def _one_of(*choices: Any) -> Callable[[Any], bool]:
    return lambda value: not isinstance(value, bool) and value in choices


def _is_error_codes(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= set(DEFAULT_ERROR_CODES)
        and all(
            isinstance(pair, list)
            and len(pair) == _PAIR
            and _is_int_between(-(2**31), 2**31)(pair[0])
            and isinstance(pair[1], str)
            and ";" not in pair[1]
            for pair in value.values()
        )
    )


def _is_line_text(value: Any) -> bool:
    return isinstance(value, str) and ";" not in value and "\n" not in value


_RATE = _is_number_between(0, 1)

_SWITCHES: dict[str, tuple[Any, Callable[[Any], bool]]] = {
    "error_codes": (DEFAULT_ERROR_CODES, _is_error_codes),
    "business_error_http_status": (200, _is_int_between(200, 599)),
    "accept_plus_numbers": (False, _is_bool),
    "json_ids_as_numbers": (False, _is_bool),
    "json_credit_key": (False, _is_bool),
    "credit_mode_layout": (
        "available,timestamp",
        _one_of("available,timestamp", "national,international,timestamp"),
    ),
    "test_mode_message_id": ("0", _one_of("0", "real")),
    "test_mode_on_http": ("accepted", _one_of("accepted", "ignored")),
    "bulk_size_plain": ("bytes_or_characters", _one_of("bytes_or_characters", "bytes")),
    "bulk_reject_remote_id": ("0", _one_of("0", "")),
    "bulk_lzf": (False, _is_bool),
    "bulk_success_code": (1, _is_int_between(-(2**31), 2**31)),
    "bulk_success_text": ("Package received.", _is_line_text),
    "bulk_internal_error_rate": (0.0, _RATE),
    "dlr_method": ("GET", _one_of("GET", "POST")),
    "dlr_post_format": ("form", _one_of("form", "json")),
    "dlr_extended": (False, _is_bool),
    "dlr_retries": (0, _is_int_between(0, 10)),
    "dlr_delay_s": (0.05, _is_number_between(0, 3600)),
    "dlr_undelivered_rate": (0.0, _RATE),
    "mo_method": ("GET", _one_of("GET", "POST", "POST_JSON")),
    "mo_respond_with_output": (False, _is_bool),
    "mo_retry_window_s": (7200.0, _is_number_between(0, 86_400)),
    # Transport faults (the brief's down, slow, 500 and malformed answers).
    "latency_ms": (0, _is_int_between(0, 600_000)),
    "drop_rate": (0.0, _RATE),
    "http_5xx_rate": (0.0, _RATE),
    "down": (False, _is_bool),
    "malformed": (False, _is_bool),
}


def default_faults() -> dict[str, Any]:
    """Return a fresh copy of every switch at its default."""
    return {name: copy.deepcopy(default) for name, (default, _) in _SWITCHES.items()}


def validate_fault(name: str, value: Any) -> None:
    """Raise KeyError for an unknown switch and ValueError for a value it does not take."""
    if name not in _SWITCHES:
        raise KeyError(name)
    if not _SWITCHES[name][1](value):
        raise ValueError(f"{value!r} is not a valid value for {name}")
