"""The Plasgate variant and fault switches of spec §3.7: their defaults and the values they take."""

from typing import Any

from simulators.plasgate.smpp.malformed import MALFORMED_KINDS
from simulators.plasgate.smpp.receipts import STATES as SMPP_DLR_STATS
from simulators.switches import SwitchTable, int_between, is_bool, number_between, one_of

REST_SHAPES = ("go", "jasmin_rest", "jasmin_text")
HTTP_API_SHAPES = ("jasmin_text", "json")
RATE_LIMIT_SCOPES = ("credential", "ip", "global")
MASK_STYLES = ("fixed", "length")
DLR_STATUS_STYLES = ("receipt", "esme")
SCHEDULE_TIME_ZONES = ("UTC+7", "UTC")


def _is_rest_shape(value: Any) -> bool:
    """Accept a named shape, or a custom template with `{id}` (and optionally `{count}`) in it."""
    return isinstance(value, str) and (value in REST_SHAPES or "{id}" in value)


def _is_json_body(value: Any) -> bool:
    return isinstance(value, dict | str)


FAULTS = SwitchTable(
    {
        "rest_response_shape": ("go", _is_rest_shape),
        "http_api_response_shape": ("jasmin_text", one_of(*HTTP_API_SHAPES)),
        "auth_error_status": (401, int_between(400, 499)),
        "auth_error_body": ({"error": "Invalid key"}, _is_json_body),
        "http_api_auth_status": (403, int_between(400, 499)),
        "bad_sender_status": (400, int_between(400, 499)),
        "non_authoritative_203": (False, is_bool),
        "rate_limit_scope": ("credential", one_of(*RATE_LIMIT_SCOPES)),
        "rate_limit_status": (429, int_between(400, 599)),
        "enforce_client_limits": (True, is_bool),
        "accept_plus_in_to": (False, is_bool),
        "mask_style": ("fixed", one_of(*MASK_STYLES)),
        "dlr_text_masked": (True, is_bool),
        "dlr_status_style": ("receipt", one_of(*DLR_STATUS_STYLES)),
        "require_jasmin_ack": (False, is_bool),
        "dlr_retries": (3, int_between(0, 100)),
        "dlr_retry_interval_s": (30.0, number_between(0, 3600)),
        "dlr_delay_s": (0.05, number_between(0, 3600)),
        "schedule_tz": ("UTC+7", one_of(*SCHEDULE_TIME_ZONES)),
        "accept_configs_key": (True, is_bool),
        "jasmin_balance": (False, is_bool),
        # Transport faults, as for Dinstar: down (connection dropped), slow, 500, malformed answers.
        "down": (False, is_bool),
        "latency_ms": (0, int_between(0, 600_000)),
        "http_5xx_rate": (0.0, number_between(0, 1)),
        "malformed_answers": (False, is_bool),
        # SMPP: drop_binds and malformed act once when set, then reset themselves.
        "smpp_drop_binds": (False, is_bool),
        "smpp_refuse_binds": (False, is_bool),
        "smpp_throttle_next": (0, int_between(0, 1_000_000)),
        "smpp_resp_delay_s": (0.0, number_between(0, 3600)),
        "smpp_silent": (False, is_bool),
        "smpp_half_open": (False, is_bool),
        "smpp_drop_after_submit": (0, int_between(0, 1_000_000)),
        # The next N deliver_sm_resp are lost with the connection: the MO is delivered again.
        "smpp_lose_deliver_resp": (0, int_between(0, 1_000_000)),
        "smpp_malformed": ("", one_of(*MALFORMED_KINDS)),
        "smpp_dlr_stat": ("DELIVRD", one_of(*SMPP_DLR_STATS)),
        # Off: receipts carry no text, only receipted_message_id and message_state.
        "smpp_dlr_text": (True, is_bool),
    }
)
default_switches = FAULTS.defaults
validate_switch = FAULTS.validate
