"""The demo dashboard: a section per SIM port (registration, signal, number, balance ...).

Entity ids follow has_entity_name: the device name ("Port N", or the entry title for the gateway
and the SMSLink account) slugified, then the entity's name.
"""

from typing import Any

from homeassistant.util import slugify

from .entries import SMSLINK_TITLE
from .settings import BALANCE_PORTS, PORT_COUNT, SMSLINK_SENDER

# (entity domain, object id after the device's, label on the dashboard), in display order.
_PORT_ROWS = (
    ("sensor", "registration", "Registration"),
    ("sensor", "signal_strength", "Signal"),
    ("sensor", "sim_number", "SIM number"),
    ("sensor", "balance", "Balance"),
    ("sensor", "network_type", "Network"),
    ("binary_sensor", "gprs", "GPRS"),
    ("event", "incoming_sms", "Incoming SMS"),
)
_GATEWAY_ROWS = (
    ("cpu_usage", "CPU"),
    ("memory_usage", "Memory"),
    ("flash_used", "Flash"),
    ("sms_queue", "SMS queue"),
)
# The SMSLink account's balance: SMS left in Romania and abroad.
_SMSLINK_ROWS = (
    ("national_sms", "National SMS"),
    ("international_sms", "International SMS"),
)


def _port_rows(port: int) -> list[tuple[str, str]]:
    """List (entity id, label) for one port; balance only where a code is configured."""
    return [
        (f"{domain}.port_{port}_{object_id}", label)
        for domain, object_id, label in _PORT_ROWS
        if object_id != "balance" or port in BALANCE_PORTS
    ]


def _gateway_rows(title: str) -> list[tuple[str, str]]:
    device = slugify(title)
    return [(f"sensor.{device}_{object_id}", label) for object_id, label in _GATEWAY_ROWS]


def _smslink_rows() -> list[tuple[str, str]]:
    device = slugify(SMSLINK_TITLE)
    return [(f"sensor.{device}_{object_id}", label) for object_id, label in _SMSLINK_ROWS]


def smslink_entity_ids() -> list[str]:
    """List the SMSLink entities the dashboard refers to (checked apart from the gateway's)."""
    return [entity_id for entity_id, _label in _smslink_rows()]


def dashboard_entity_ids(title: str) -> list[str]:
    """List every gateway entity the dashboard refers to (the demo checks that each one exists)."""
    rows = _gateway_rows(title)
    for port in range(PORT_COUNT):
        rows += _port_rows(port)
    return [entity_id for entity_id, _label in rows]


def _section(heading: str, cards: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "grid", "cards": [{"type": "heading", "heading": heading}, *cards]}


def _tile(entity_id: str, label: str) -> dict[str, Any]:
    tile: dict[str, Any] = {"type": "tile", "entity": entity_id, "name": label}
    if entity_id.startswith("event."):
        tile["state_content"] = ["sender", "text"]  # the last SMS rather than its time
    return tile


def _tiles(rows: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [_tile(entity_id, label) for entity_id, label in rows]


def _overview(title: str) -> dict[str, Any]:
    signal = {
        "type": "glance",
        "title": "Signal",
        "columns": 4,
        "entities": [
            {"entity": f"sensor.port_{port}_signal_strength", "name": f"Port {port}"}
            for port in range(PORT_COUNT)
        ],
    }
    how_to = {
        "type": "markdown",
        "content": (
            "**Send this gateway an SMS** from a terminal in the repository:\n\n"
            '`make demo-sms FROM=+40712345678 TEXT="hello"`\n\n'
            "It shows up on the port's *Incoming SMS* and as a `sms_gateway_sms_received` "
            "event (Developer tools > Events)."
        ),
    }
    return _section(title, [signal, *_tiles(_gateway_rows(title)), how_to])


def _smslink() -> dict[str, Any]:
    how_to = {
        "type": "markdown",
        "content": (
            "**Send the SMSLink account an SMS** (2-Way):\n\n"
            f'`make demo-sms PROVIDER=smslink FROM={SMSLINK_SENDER} TEXT="hello"`\n\n'
            "It comes back from the simulator as a callback and fires "
            "`sms_gateway_sms_received` with `provider: smslink`."
        ),
    }
    return _section(SMSLINK_TITLE, [*_tiles(_smslink_rows()), how_to])


def dashboard_config(title: str) -> dict[str, Any]:
    """Build the Lovelace configuration (storage mode) of the default dashboard."""
    port_sections = [
        _section(f"Port {port}", _tiles(_port_rows(port))) for port in range(PORT_COUNT)
    ]
    return {
        "title": "SMS Gateway demo",
        "views": [
            {
                "title": "SIM ports",
                "path": "sim-ports",
                "icon": "mdi:sim",
                "type": "sections",
                "max_columns": 4,
                "sections": [_overview(title), _smslink(), *port_sections],
            }
        ],
    }
