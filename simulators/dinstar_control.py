"""The Dinstar simulator's control API under /_sim/ (no auth, JSON): see DESIGN.md.

Tests, benchmarks and the demo read the state and steer the gateway through it.
"""

from typing import TYPE_CHECKING, Any

from aiohttp import web

from simulators.control import (
    ControlError,
    Route,
    add_routes,
    json_object,
    ok,
    optional_text_field,
    text_field,
)
from simulators.dinstar_faults import INCOMING_ID_RESET, validate_fault

if TYPE_CHECKING:
    from simulators.dinstar import DinstarSimulator


def _port_index(sim: "DinstarSimulator", value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError("port must be an integer")
    if not 0 <= value < sim.settings.ports:
        raise ControlError("no such port")
    return int(value)


class DinstarControl:
    """Routes /_sim/* to the simulator."""

    def __init__(self, sim: "DinstarSimulator") -> None:
        """Steer this simulator."""
        self._sim = sim

    def add_routes(self, app: web.Application) -> None:
        """Register the control routes (before the API catch-all)."""
        routes: list[Route] = [
            ("GET", "/_sim/state", self._state),
            ("POST", "/_sim/incoming", self._incoming),
            ("POST", "/_sim/ports/{index}", self._port),
            ("POST", "/_sim/faults", self._faults),
            ("POST", "/_sim/push-url", self._push_url),
            ("POST", "/_sim/push/{kind}", self._push),
            ("POST", "/_sim/incoming-id-reset", self._incoming_id_reset),
            ("POST", "/_sim/ussd-replies", self._ussd_replies),
            ("POST", "/_sim/expire-nonces", self._expire_nonces),
            ("POST", "/_sim/requests-reset", self._requests_reset),
            ("POST", "/_sim/reboot", self._reboot),
            ("POST", "/_sim/boot", self._boot),
        ]
        add_routes(app, routes, "unknown switch")

    async def _state(self, _request: web.Request) -> web.StreamResponse:
        return ok(self._sim.snapshot())

    async def _incoming(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        port = _port_index(self._sim, body.get("port"))
        sender, text = text_field(body, "sender"), text_field(body, "text")
        message = self._sim.inbox.receive(port, sender, text, optional_text_field(body, "smsc"))
        return ok({"incoming_sms_id": message.incoming_sms_id})

    async def _port(self, request: web.Request) -> web.StreamResponse:
        index = request.match_info["index"]
        if not index.isdigit():
            raise ControlError("no such port")
        port = self._sim.port_service.update(int(index), await json_object(request))
        return ok(port.snapshot())

    async def _faults(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        for name, value in body.items():
            validate_fault(name, value)
        for name, value in body.items():
            if name == INCOMING_ID_RESET:
                if value:
                    self._sim.inbox.reset_ids()
            else:
                self._sim.faults[name] = value
        return ok(self._sim.faults)

    async def _push_url(self, request: web.Request) -> web.StreamResponse:
        url = optional_text_field(await json_object(request), "url")
        self._sim.pusher.url = url
        return ok({"url": url})

    async def _push(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["kind"]
        body = await json_object(request)
        sim = self._sim
        if kind == "cdr":
            event: Any = [sim.device.add_cdr(body)]
        elif kind == "device":
            event = sim.device.push_device(body)
        elif kind == "exception_info":
            event = sim.device.push_exception(body)
        elif kind == "register":
            port = sim.ports[_port_index(sim, body.get("port"))]
            status = body.get("status", "up" if port.registered else "down")
            if status not in {"up", "down"}:
                raise ControlError("status must be up or down")
            sim.port_service.push_register(port, up=status == "up")
            event = {"port": port.port, "status": status}
        else:
            raise ControlError("push type must be cdr, device, exception_info or register")
        return ok({"pushed": kind, "event": event, "push_url": sim.pusher.url})

    async def _incoming_id_reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.inbox.reset_ids()
        return ok({"next_incoming_sms_id": self._sim.state.next_incoming_id})

    async def _ussd_replies(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        text = optional_text_field(body, "text")
        ussd = self._sim.ussd
        if "port" in body:
            port = _port_index(self._sim, body["port"])
            if text is None:
                ussd.port_replies.pop(port, None)
            else:
                ussd.port_replies[port] = text
        elif "code" in body:
            code = text_field(body, "code")
            if text is None:
                ussd.code_replies.pop(code, None)
            else:
                ussd.code_replies[code] = text
        else:
            raise ControlError("give a port or a code")
        return ok(self._sim.snapshot()["ussd"])

    async def _expire_nonces(self, _request: web.Request) -> web.StreamResponse:
        self._sim.verifier.expire_all()
        return ok({"expired": self._sim.verifier.nonce_count})

    async def _reboot(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.reboot()
        return ok({"rebooting": True})

    async def _boot(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.boot()
        return ok({"rebooting": False})

    async def _requests_reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.reset_counts()
        return ok({})
