"""Which route sent an SMS, so that its delivery reports can say so (`route_entry_id`).

The gateway or account that carried the SMS fires the report; it asks here whether a route sent
that message id. Kept in memory for the newest sends only: a report that comes after a restart
is still tied to its send by `entry_id` and `message_id`, as the action's answer gives them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN

ATTR_ROUTE_ENTRY_ID: Final = "route_entry_id"
_KEEP: Final = 4096
_ROUTED: HassKey[OrderedDict[tuple[str, str], str]] = HassKey(f"{DOMAIN}_routed")


@callback
def remember_route(hass: HomeAssistant, entry_id: str, message_id: str, route_id: str) -> None:
    """Note that the route route_id sent message_id through the entry entry_id."""
    routed = hass.data.setdefault(_ROUTED, OrderedDict())
    routed[(entry_id, message_id)] = route_id
    while len(routed) > _KEEP:
        routed.popitem(last=False)


@callback
def route_of(hass: HomeAssistant, entry_id: str, message_id: object) -> dict[str, str]:
    """Return {"route_entry_id": ...} for a message a route sent, else nothing to add."""
    if message_id is None:
        return {}
    routed = hass.data.get(_ROUTED)
    route_id = None if routed is None else routed.get((entry_id, str(message_id)))
    return {} if route_id is None else {ATTR_ROUTE_ENTRY_ID: route_id}
