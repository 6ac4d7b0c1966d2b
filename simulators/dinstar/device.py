"""Gateway-wide data: get_cdr, get_status and the cdr/device/exception_info pushes.

Spec §2.8.12, §2.8.13 and §2.11.
"""

from collections.abc import Mapping
from typing import Any

from simulators.dinstar.service import GatewayParts, GatewayService
from simulators.dinstar.state import answered_call
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, optional_time, parse_port_array

_MEMORY_TOTAL = 109448


class DeviceService(GatewayService):
    """CDRs, performance counters and device-level events."""

    def __init__(self, parts: GatewayParts, *, address: str = "192.168.1.100") -> None:
        """Report address as the gateway's IP in `device` pushes."""
        super().__init__(parts)
        self.address = address

    def _wire_cdr(self, record: Mapping[str, Any]) -> dict[str, Any]:
        bcch_key = self._faults["bcch_key"]
        return {bcch_key if key == "bcch" else key: value for key, value in record.items()}

    def get_cdr(self, call: ApiCall) -> ApiReply:
        """CDRs filtered by port and start_date window, under the `cdr_key` switch's key."""
        body = call.json_object()
        ports = body.get("port")
        port_filter = None if ports is None else parse_port_array(ports, len(self._state.ports))
        after = optional_time(body.get("time_after"), "time_after")
        before = optional_time(body.get("time_before"), "time_before")
        rows = [
            self._wire_cdr(record)
            for record in self._state.cdrs
            if (port_filter is None or record["port"] in port_filter)
            and (after is None or record["start_date"] >= after)
            and (before is None or record["start_date"] <= before)
        ]
        return ApiReply(200, {self._faults["cdr_key"]: rows})

    def get_status(self, call: ApiCall) -> ApiReply:
        """Answer `{"performance": {...}}` (string values, no envelope) to a bare JSON array."""
        wanted = call.json_body()
        if not isinstance(wanted, list):
            raise ApiError(400, "body is not a JSON array")
        status: dict[str, Any] = {}
        if "performance" in wanted:
            used = self._rng.randint(45000, 60000)
            status["performance"] = {
                "cpu_used": str(self._rng.randint(5, 60)),
                "flash_total": "27648",
                "flash_used": "17428",
                "memory_total": str(_MEMORY_TOTAL),
                "memory_cached": "34192",
                "memory_buffers": "0",
                "memory_free": str(_MEMORY_TOTAL - used),
                "memory_used": str(used),
            }
        return ApiReply(200, status, envelope=False)

    def add_cdr(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Record an answered call (overrides win) and push it."""
        record = answered_call(**overrides)
        self._state.cdrs.append(record)
        self._pusher.push("cdr", [self._wire_cdr(record)])
        return record

    def push_device(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Push a `device` event (one object, upper-case IP and MAC)."""
        event = {
            "port_number": len(self._state.ports),
            "IP": self.address,
            "MAC": "F8-A0-3D-48-E5-19",
            "status": "power_on",
            **overrides,
        }
        self._pusher.push("device", event)
        return event

    def push_exception(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Push an `exception_info` event (one object)."""
        event = {"port": 0, "type": "call_fail", "action": "reset", **overrides}
        self._pusher.push("exception_info", event)
        return event
