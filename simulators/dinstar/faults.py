"""The Dinstar fault and variant switches of spec §3.9, their defaults and what values they take."""

from typing import Any

from simulators.switches import SwitchTable, int_between, is_bool, is_rate, one_of

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


def _is_positive_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _is_paths(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(path, str) and path.startswith("/") for path in value
    )


def _is_string_pair(value: Any) -> bool:
    return (
        isinstance(value, list) and len(value) == _PAIR and all(isinstance(v, str) for v in value)
    )


def _is_anything(_value: Any) -> bool:
    return True


FAULTS = SwitchTable(
    {
        "accept_basic": (False, is_bool),
        "drop_empty_post_probe": (True, is_bool),
        "flaky_auth_rate": (0.0, is_rate),
        # 200: every API answer is HTTP 200; "error_code": errors use their error_code as HTTP
        # status.
        "error_http_status": (200, one_of(200, "error_code")),
        "trailing_commas": (False, is_bool),
        "remain_key_style": ("response", one_of("response", "request")),
        "stk_input_type_as_string": (False, is_bool),
        "stk_accept_cancel": (True, is_bool),
        "stop_sms_not_found_code": (404, one_of(404, 486)),
        "ussd_result_key": ("result", one_of("result", "result:")),
        "ussd_blank_reply": (" ", one_of(" ", "")),
        "sms_include_imsi": (True, is_bool),
        "sms_result_push_user_id": (False, is_bool),
        "signal_unknown_99": (False, is_bool),
        "gprs_values": (["attached", "detached"], _is_string_pair),
        "callforward_key": ("CallForwarding", one_of("CallForwarding", "CallForward")),
        "cdr_key": ("cdr", one_of("cdr", "info")),
        "bcch_key": ("bcch", one_of("bcch", "bech")),
        "port_info_smsc": (False, is_bool),
        "allow_wrong_method": (False, is_bool),
        "push_retries": (0, int_between(0, 10)),
        "push_duplicate": (False, is_bool),
        INCOMING_ID_RESET: (None, _is_anything),
        "latency_ms": (0, int_between(0, 600_000)),
        "timeout_paths": ([], _is_paths),
        # Beyond the table: the brief's extra faults and the §3.4 "text over 60 bytes" code switch.
        "drop_connection_paths": ([], _is_paths),
        "fail_500_paths": ([], _is_paths),
        # send_sms queues the SMS as usual, then answers 500: the client cannot tell it was queued.
        "send_sms_500_after_queue": (False, is_bool),
        # send_sms queues the SMS, then the gateway reboots before answering: the connection drops
        # and every request is dropped until the control API's boot.
        "reboot_during_send": (False, is_bool),
        # These paths answer their JSON cut in half.
        "malformed_paths": ([], _is_paths),
        "ussd_too_long_code": (400, int_between(400, 599)),
        "delivery_failure_rate": (0.0, is_rate),
        "nonce_lifetime": (300.0, _is_positive_number),
        # How many SMS the inbox holds; 0 is no limit. The spec does not say what a full inbox does:
        # here, as on SIM and phone storage set to overwrite, the oldest message gives way.
        "inbox_capacity": (0, int_between(0, 1_000_000)),
        # Off: the gateway's "API" setting is not "New Version"; /api/ paths answer GoAhead's 404.
        "api_enabled": (True, is_bool),
        # §3.8: each push type has its own enable flag, like the gateway's checkboxes.
        **{f"push_{kind}": (True, is_bool) for kind in PUSH_TYPES},
    }
)
default_faults = FAULTS.defaults
validate_fault = FAULTS.validate
