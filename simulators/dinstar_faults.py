"""The Dinstar fault and variant switches of spec §3.9, their defaults and what values they take."""

from collections.abc import Callable
import copy
from typing import Any

PUSH_TYPES = (
    "sms",
    "sms_result",
    "sms_deliver_status",
    "ussd",
    "register",
    "cdr",
    "device",
    "exception_info",
)

# Not a switch but an action (spec §3.9 lists it); kept in the table so every name is present.
INCOMING_ID_RESET = "incoming_id_reset"


_PAIR = 2
_ERROR_CODES = range(400, 600)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_rate(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _is_count(limit: int) -> Callable[[Any], bool]:
    return lambda value: (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit
    )


def _is_positive_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _one_of(*choices: Any) -> Callable[[Any], bool]:
    return lambda value: not isinstance(value, bool) and value in choices


def _is_paths(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(path, str) and path.startswith("/") for path in value
    )


def _is_string_pair(value: Any) -> bool:
    return (
        isinstance(value, list) and len(value) == _PAIR and all(isinstance(v, str) for v in value)
    )


def _is_error_code(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _ERROR_CODES


def _is_anything(_value: Any) -> bool:
    return True


_SWITCHES: dict[str, tuple[Any, Callable[[Any], bool]]] = {
    "accept_basic": (False, _is_bool),
    "drop_empty_post_probe": (True, _is_bool),
    "flaky_auth_rate": (0.0, _is_rate),
    # 200: every API answer is HTTP 200; "error_code": errors use their error_code as HTTP status.
    "error_http_status": (200, _one_of(200, "error_code")),
    "trailing_commas": (False, _is_bool),
    "remain_key_style": ("response", _one_of("response", "request")),
    "stk_input_type_as_string": (False, _is_bool),
    "stk_accept_cancel": (True, _is_bool),
    "stop_sms_not_found_code": (404, _one_of(404, 486)),
    "ussd_result_key": ("result", _one_of("result", "result:")),
    "ussd_blank_reply": (" ", _one_of(" ", "")),
    "sms_include_imsi": (True, _is_bool),
    "sms_result_push_user_id": (False, _is_bool),
    "signal_unknown_99": (False, _is_bool),
    "gprs_values": (["attached", "detached"], _is_string_pair),
    "callforward_key": ("CallForwarding", _one_of("CallForwarding", "CallForward")),
    "cdr_key": ("cdr", _one_of("cdr", "info")),
    "bcch_key": ("bcch", _one_of("bcch", "bech")),
    "port_info_smsc": (False, _is_bool),
    "allow_wrong_method": (False, _is_bool),
    "push_retries": (0, _is_count(10)),
    "push_duplicate": (False, _is_bool),
    INCOMING_ID_RESET: (None, _is_anything),
    "latency_ms": (0, _is_count(600_000)),
    "timeout_paths": ([], _is_paths),
    # Beyond the table: the brief's extra faults and the §3.4 "text over 60 bytes" code switch.
    "drop_connection_paths": ([], _is_paths),
    "fail_500_paths": ([], _is_paths),
    # send_sms queues the SMS as usual, then answers 500: the client cannot tell it was queued.
    "send_sms_500_after_queue": (False, _is_bool),
    # send_sms queues the SMS, then the gateway reboots before answering: the connection drops
    # and every request is dropped until the control API's boot.
    "reboot_during_send": (False, _is_bool),
    # These paths answer their JSON cut in half.
    "malformed_paths": ([], _is_paths),
    "ussd_too_long_code": (400, _is_error_code),
    "delivery_failure_rate": (0.0, _is_rate),
    "nonce_lifetime": (300.0, _is_positive_number),
    # How many SMS the inbox holds; 0 is no limit. The spec does not say what a full inbox does:
    # here, as on SIM and phone storage set to overwrite, the oldest message gives way.
    "inbox_capacity": (0, _is_count(1_000_000)),
    # Off: the gateway's "API" setting is not "New Version"; /api/ paths answer GoAhead's 404.
    "api_enabled": (True, _is_bool),
    # §3.8: each push type has its own enable flag, like the gateway's checkboxes.
    **{f"push_{kind}": (True, _is_bool) for kind in PUSH_TYPES},
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
