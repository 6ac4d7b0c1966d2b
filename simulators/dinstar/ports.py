"""Port information and port control: get_port_info, set_port_info and registration changes.

Spec §2.8.9 to §2.8.11, §2.9 and §3.4. A registration change pushes a `register` event (§2.11).
"""

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from simulators.dinstar.service import GatewayParts, GatewayService
from simulators.dinstar.state import (
    CALL_STATES,
    NETWORK_TYPES,
    NO_VALUE,
    REG_STATES,
    REGISTER_OK,
    REMAIN_KEYS,
    SINGLE_SIM_SLOT,
    PortState,
)
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, check_port, parse_port_csv

_PLAIN_INFO = ("type", "imei", "imsi", "iccid", "number", "reg", "slot", "callstate")
CALL_FORWARD_CONDITIONS = ("Unconditional", "NoReply", "Busy", "Not_Reachable")
_MAX_NUMBER_BYTES = 24
_MAX_SLOT = 3
_MAX_SIGNAL = 31
_UNKNOWN_SIGNAL = 99

PortListener = Callable[[PortState], None]


def _is_text_map(value: Any, keys: tuple[str, ...] | None = None) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, str) and (keys is None or k in keys) for k, v in value.items()
    )


def _is_int(value: Any, *allowed: range | int) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return any(value in a if isinstance(a, range) else value == a for a in allowed)


# Fields the control API may change, with what each accepts.
_EDITABLE: dict[str, Callable[[Any], bool]] = {
    "type": lambda v: v in NETWORK_TYPES,
    "imei": lambda v: isinstance(v, str),
    "imsi": lambda v: isinstance(v, str),
    "iccid": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, str),
    "smsc": lambda v: isinstance(v, str),
    "reg": lambda v: v in REG_STATES,
    "slot": lambda v: _is_int(v, range(_MAX_SLOT + 1), SINGLE_SIM_SLOT),
    "callstate": lambda v: v in CALL_STATES,
    "signal": lambda v: _is_int(v, range(_MAX_SIGNAL + 1), _UNKNOWN_SIGNAL),
    "gprs": lambda v: isinstance(v, bool),
    "remain": lambda v: _is_text_map(v, tuple(REMAIN_KEYS)),
    "call_forward": lambda v: _is_text_map(v, CALL_FORWARD_CONDITIONS),
    "sim_inserted": lambda v: isinstance(v, bool),
    "pin_locked": lambda v: isinstance(v, bool),
    "blocked": lambda v: isinstance(v, bool),
    "busy": lambda v: isinstance(v, bool),
}


class PortsService(GatewayService):
    """Reads and changes ports; tells listeners (SMS dispatch, USSD) when one changes."""

    def __init__(
        self, parts: GatewayParts, *, register_delay: Callable[[], float], multi_sim: bool
    ) -> None:
        """register_delay is read at each reset or power-on."""
        super().__init__(parts)
        self._register_delay = register_delay
        self._multi_sim = multi_sim
        self._generation = [0] * len(self._state.ports)
        self.listeners: list[PortListener] = []

    @property
    def count(self) -> int:
        """Number of ports."""
        return len(self._state.ports)

    # ---- get_port_info -------------------------------------------------------------------

    def get_port_info(self, call: ApiCall) -> ApiReply:
        """`info[]` with `port` plus only the requested keys; unknown info types are ignored."""
        params = call.params()
        info_types = [part.strip() for part in params.get("info_type", "").split(",")]
        info_types = [part for part in info_types if part]
        if not info_types:
            raise ApiError(400, "info_type missing")
        ports = parse_port_csv(params.get("port"), self.count)
        rows = [self._info_row(self._state.ports[index], info_types) for index in ports]
        return ApiReply(200, {"info": rows})

    def _info_row(self, port: PortState, info_types: list[str]) -> dict[str, Any]:
        row: dict[str, Any] = {"port": port.port}
        for info in info_types:
            if info in _PLAIN_INFO:
                row[info] = getattr(port, info)
            elif info == "signal":
                unknown = self._faults["signal_unknown_99"] and not port.registered
                row["signal"] = _UNKNOWN_SIGNAL if unknown else port.signal
            elif info == "gprs":
                attached, detached = self._faults["gprs_values"]
                row["gprs"] = attached if port.gprs else detached
            elif info in REMAIN_KEYS:
                style = self._faults["remain_key_style"]
                row[REMAIN_KEYS[info] if style == "response" else info] = port.remain[info]
            elif info == "CallForward":
                row[self._faults["callforward_key"]] = dict(port.call_forward)
            elif info == "smsc" and self._faults["port_info_smsc"]:
                row["smsc"] = port.smsc
        return row

    # ---- set_port_info -------------------------------------------------------------------

    def set_port_info(self, call: ApiCall) -> ApiReply:
        """Do one of the actions of §2.8.10; an unknown action or a bad param is a 400."""
        params = call.params()
        port_text = params.get("port", "")
        if not port_text.strip().isdigit():
            raise ApiError(400, "port missing")
        port = self._state.ports[check_port(int(port_text), self.count)]
        action = params.get("action", "")
        param = params.get("param")
        actions: dict[str, Callable[[PortState, str | None], None]] = {
            "slot": self._select_slot,
            "reset": lambda target, _param: self._reset(target),
            "power": self._power,
            "imei": self._write_imei,
            "number": self._write_number,
            "lock": lambda target, pin: self._set_pin(target, pin, locked=True),
            "unlock": lambda target, pin: self._set_pin(target, pin, locked=False),
            "block": lambda target, _param: setattr(target, "blocked", True),
            "unblock": lambda target, _param: setattr(target, "blocked", False),
            "CallForward": lambda target, condition: self._call_forward(
                target, condition, params.get("number")
            ),
            "CheckCallForward": lambda _target, _param: None,
        }
        if action not in actions:
            raise ApiError(400, "unknown action")
        actions[action](port, param)
        return ApiReply(200)

    def _select_slot(self, port: PortState, param: str | None) -> None:
        if not self._multi_sim or param is None or param not in {"0", "1", "2", "3"}:
            raise ApiError(400, "bad slot")
        port.slot = int(param)
        self._reregister(port)

    def _reset(self, port: PortState) -> None:
        """Restart the module; a powered-off module stays off."""
        if port.reg != "POWER_OFF":
            self._reregister(port)

    def _power(self, port: PortState, param: str | None) -> None:
        if param == "off":
            self._generation[port.port] += 1
            self.set_reg(port, "POWER_OFF")
            port.signal, port.gprs = 0, False
        elif param == "on":
            if port.reg == "POWER_OFF":
                self._reregister(port)
        else:
            raise ApiError(400, "power needs on or off")

    @staticmethod
    def _write_imei(port: PortState, param: str | None) -> None:
        if param is None or not param.isdigit() or len(param) not in {14, 15, 16}:
            raise ApiError(400, "bad imei")
        port.imei = param

    @staticmethod
    def _write_number(port: PortState, param: str | None) -> None:
        if not param or len(param.encode()) > _MAX_NUMBER_BYTES:
            raise ApiError(400, "bad number")
        port.number = param

    @staticmethod
    def _set_pin(port: PortState, pin: str | None, *, locked: bool) -> None:
        if pin is None or not pin.isdigit() or not 4 <= len(pin) <= 8:  # noqa: PLR2004
            raise ApiError(400, "bad PIN")
        port.pin_locked = locked

    @staticmethod
    def _call_forward(port: PortState, condition: str | None, number: str | None) -> None:
        if condition == "CancelAll":
            port.call_forward.clear()
            return
        if condition not in CALL_FORWARD_CONDITIONS or not number:
            raise ApiError(400, "bad call forward")
        port.call_forward[condition] = number

    # ---- registration --------------------------------------------------------------------

    def _reregister(self, port: PortState) -> None:
        """Drop off the network, then come back after register_delay (reset, slot, power on)."""
        self._generation[port.port] += 1
        generation = self._generation[port.port]
        self.set_reg(port, "SEARCHING_NETWORK")
        port.gprs = False
        self._tasks.spawn(self._register_later(port, generation))

    async def _register_later(self, port: PortState, generation: int) -> None:
        await asyncio.sleep(self._register_delay())
        if self._generation[port.port] != generation:
            return
        if port.sim_inserted:
            port.signal = self._rng.randint(8, _MAX_SIGNAL)
            port.gprs = True
            self.set_reg(port, REGISTER_OK)
        else:
            self.set_reg(port, "NO_SIM")

    def set_reg(self, port: PortState, reg: str) -> None:
        """Change reg; crossing REGISTER_OK either way pushes `register` up or down."""
        was_registered = port.registered
        port.reg = reg
        if was_registered != port.registered:
            self.push_register(port, up=port.registered)
        for listener in self.listeners:
            listener(port)

    def push_register(self, port: PortState, *, up: bool) -> None:
        """Push `register` for port ("<NULL>" iccid/imsi when down; slot on multi-SIM)."""
        self._state.register_sequence += 1
        row: dict[str, Any] = {
            "port": port.port,
            "iccid": port.iccid if up else NO_VALUE,
            "imsi": port.imsi if up else NO_VALUE,
            "number": port.number,
            "status": "up" if up else "down",
            "sequence": self._state.register_sequence,
        }
        if self._multi_sim:
            row["slot"] = port.slot
        self._pusher.push("register", [row])

    def update(self, index: int, changes: Mapping[str, Any]) -> PortState:
        """Apply control-API changes after checking every one (ValueError names the bad one)."""
        if not 0 <= index < self.count:
            raise ValueError("no such port")
        for name, value in changes.items():
            if name not in _EDITABLE:
                raise ValueError(f"{name} is not a port field")
            if not _EDITABLE[name](value):
                raise ValueError(f"{value!r} is not valid for {name}")
        port = self._state.ports[index]
        for name, value in changes.items():
            if name == "remain":
                port.remain.update(value)
            elif name != "reg":
                setattr(port, name, dict(value) if isinstance(value, dict) else value)
        if "reg" in changes:
            self._generation[index] += 1
            self.set_reg(port, changes["reg"])
        else:
            for listener in self.listeners:
                listener(port)
        return port
