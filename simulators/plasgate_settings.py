"""The Plasgate simulator's settings and its variant/fault switches (spec §3.7), with checks."""

from collections.abc import Callable
import copy
from dataclasses import dataclass, field
from typing import Any

REST_SHAPES = ("go", "jasmin_rest", "jasmin_text")
HTTP_API_SHAPES = ("jasmin_text", "json")
RATE_LIMIT_SCOPES = ("credential", "ip", "global")
MASK_STYLES = ("fixed", "length")
DLR_STATUS_STYLES = ("receipt", "esme")
SCHEDULE_TIME_ZONES = ("UTC+7", "UTC")
OUTCOMES = ("delivered", "expired", "undelivered", "rejected")


@dataclass
class PlasgateSettings:
    """Credentials and timings; the DESIGN.md defaults let any client talk to a fresh simulator."""

    private_key: str = "demo"
    secret: str = "demo"  # noqa: S105 (DESIGN.md default)
    username: str = "demo"
    password: str = "demo"  # noqa: S105 (DESIGN.md default)
    senders: list[str] = field(default_factory=lambda: ["SMS Info"])
    balance: float = 100.0
    seed: int = 0
    callback_timeout: float = 10.0


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_number(low: float, high: float) -> Callable[[Any], bool]:
    return lambda value: (
        isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    )


def _is_int(low: int, high: int) -> Callable[[Any], bool]:
    return (
        lambda value: isinstance(value, int)
        and not isinstance(value, bool)
        and (low <= value <= high)
    )


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and value in choices


def _is_rest_shape(value: Any) -> bool:
    """Accept a named shape, or a custom template with `{id}` (and optionally `{count}`) in it."""
    return isinstance(value, str) and (value in REST_SHAPES or "{id}" in value)


def _is_json_body(value: Any) -> bool:
    return isinstance(value, dict | str)


_SWITCHES: dict[str, tuple[Any, Callable[[Any], bool]]] = {
    "rest_response_shape": ("go", _is_rest_shape),
    "http_api_response_shape": ("jasmin_text", _one_of(*HTTP_API_SHAPES)),
    "auth_error_status": (401, _is_int(400, 499)),
    "auth_error_body": ({"error": "Invalid key"}, _is_json_body),
    "http_api_auth_status": (403, _is_int(400, 499)),
    "bad_sender_status": (400, _is_int(400, 499)),
    "non_authoritative_203": (False, _is_bool),
    "rate_limit_scope": ("credential", _one_of(*RATE_LIMIT_SCOPES)),
    "rate_limit_status": (429, _is_int(400, 599)),
    "enforce_client_limits": (True, _is_bool),
    "accept_plus_in_to": (False, _is_bool),
    "mask_style": ("fixed", _one_of(*MASK_STYLES)),
    "dlr_text_masked": (True, _is_bool),
    "dlr_status_style": ("receipt", _one_of(*DLR_STATUS_STYLES)),
    "require_jasmin_ack": (False, _is_bool),
    "dlr_retries": (3, _is_int(0, 100)),
    "dlr_retry_interval_s": (30.0, _is_number(0, 3600)),
    "dlr_delay_s": (0.05, _is_number(0, 3600)),
    "schedule_tz": ("UTC+7", _one_of(*SCHEDULE_TIME_ZONES)),
    "accept_configs_key": (True, _is_bool),
    "jasmin_balance": (False, _is_bool),
    # Transport faults, as for Dinstar: down (connection dropped), slow, 500, malformed answers.
    "down": (False, _is_bool),
    "latency_ms": (0, _is_int(0, 600_000)),
    "http_5xx_rate": (0.0, _is_number(0, 1)),
    "malformed_answers": (False, _is_bool),
}


def default_switches() -> dict[str, Any]:
    """Return a fresh copy of every switch at its default."""
    return {name: copy.deepcopy(default) for name, (default, _) in _SWITCHES.items()}


def validate_switch(name: str, value: Any) -> None:
    """Raise KeyError for an unknown switch and ValueError for a value it does not take."""
    if name not in _SWITCHES:
        raise KeyError(name)
    if not _SWITCHES[name][1](value):
        raise ValueError(f"{value!r} is not a valid value for {name}")
