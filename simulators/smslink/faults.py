"""The SMSLink variant and fault switches of spec §3.8, plus the callback knobs of §3.6.

Every point the spec marks unknown is a switch here, so a test can play each variant.
"""

from typing import Any

from simulators.switches import (
    SwitchTable,
    int_between,
    is_bool,
    is_rate,
    number_between,
    one_of,
)

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


def _is_error_codes(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= set(DEFAULT_ERROR_CODES)
        and all(
            isinstance(pair, list)
            and len(pair) == _PAIR
            and int_between(-(2**31), 2**31)(pair[0])
            and isinstance(pair[1], str)
            and ";" not in pair[1]
            for pair in value.values()
        )
    )


def _is_line_text(value: Any) -> bool:
    return isinstance(value, str) and ";" not in value and "\n" not in value


FAULTS = SwitchTable(
    {
        "error_codes": (DEFAULT_ERROR_CODES, _is_error_codes),
        "business_error_http_status": (200, int_between(200, 599)),
        "accept_plus_numbers": (False, is_bool),
        "json_ids_as_numbers": (False, is_bool),
        "json_credit_key": (False, is_bool),
        "credit_mode_layout": (
            "available,timestamp",
            one_of("available,timestamp", "national,international,timestamp"),
        ),
        "test_mode_message_id": ("0", one_of("0", "real")),
        "test_mode_on_http": ("accepted", one_of("accepted", "ignored")),
        "bulk_size_plain": ("bytes_or_characters", one_of("bytes_or_characters", "bytes")),
        "bulk_reject_remote_id": ("0", one_of("0", "")),
        "bulk_lzf": (False, is_bool),
        "bulk_success_code": (1, int_between(-(2**31), 2**31)),
        "bulk_success_text": ("Package received.", _is_line_text),
        "bulk_internal_error_rate": (0.0, is_rate),
        "dlr_method": ("GET", one_of("GET", "POST")),
        "dlr_post_format": ("form", one_of("form", "json")),
        "dlr_extended": (False, is_bool),
        "dlr_retries": (0, int_between(0, 10)),
        "dlr_delay_s": (0.05, number_between(0, 3600)),
        "dlr_undelivered_rate": (0.0, is_rate),
        "mo_method": ("GET", one_of("GET", "POST", "POST_JSON")),
        "mo_respond_with_output": (False, is_bool),
        "mo_retry_window_s": (7200.0, number_between(0, 86_400)),
        # Transport faults (the brief's down, slow, 500 and malformed answers).
        "latency_ms": (0, int_between(0, 600_000)),
        "drop_rate": (0.0, is_rate),
        "http_5xx_rate": (0.0, is_rate),
        "down": (False, is_bool),
        "malformed": (False, is_bool),
    }
)
default_faults = FAULTS.defaults
validate_fault = FAULTS.validate
