"""The Dinstar simulator's control API under /_sim/ (no auth, JSON): see DESIGN.md.

Tests, benchmarks and the demo read the state and steer the gateway through it. The simulator
hands itself in as a SteeredGateway, so this module never imports it.
"""

from typing import Any, Protocol

from aiohttp import web

from simulators.control import ControlApi, Steerable, control_route, ok
from simulators.control_fields import ControlError, json_object, optional_text_field, text_field
from simulators.digest_server import DigestVerifier
from simulators.dinstar.device import DeviceService
from simulators.dinstar.faults import FAULTS, INCOMING_ID_RESET
from simulators.dinstar.gate import ApiGate
from simulators.dinstar.inbox import InboxService
from simulators.dinstar.ports import PortsService
from simulators.dinstar.push import Pusher
from simulators.dinstar.settings import DinstarSettings
from simulators.dinstar.state import GatewayState
from simulators.dinstar.ussd import UssdService


class SteeredGateway(Steerable, Protocol):
    """The parts of a simulated gateway that the control API reads and changes."""

    settings: DinstarSettings
    state: GatewayState
    verifier: DigestVerifier
    pusher: Pusher
    port_service: PortsService
    inbox: InboxService
    ussd: UssdService
    device: DeviceService
    gate: ApiGate


def _port_index(sim: SteeredGateway, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError("port must be an integer")
    if not 0 <= value < sim.settings.ports:
        raise ControlError("no such port")
    return int(value)


def _set_or_clear[K](replies: dict[K, str], key: K, text: str | None) -> None:
    """Set the reply for key; None removes it, so the default reply applies again."""
    if text is None:
        replies.pop(key, None)
    else:
        replies[key] = text


class DinstarControl(ControlApi[SteeredGateway]):
    """Routes /_sim/* to the simulator."""

    table = FAULTS

    def apply_faults(self, body: dict[str, Any]) -> None:
        """incoming_id_reset is an action: true empties the inbox, it is never stored."""
        for name, value in body.items():
            if name == INCOMING_ID_RESET:
                if value:
                    self._sim.inbox.reset_ids()
            else:
                self._sim.faults[name] = value

    @control_route("POST", "/_sim/incoming")
    async def _incoming(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        port = _port_index(self._sim, body.get("port"))
        sender, text = text_field(body, "sender"), text_field(body, "text")
        message = self._sim.inbox.receive(port, sender, text, optional_text_field(body, "smsc"))
        return ok({"incoming_sms_id": message.incoming_sms_id})

    @control_route("POST", "/_sim/ports/{index}")
    async def _port(self, request: web.Request) -> web.StreamResponse:
        index = request.match_info["index"]
        if not index.isdigit():
            raise ControlError("no such port")
        port = self._sim.port_service.update(int(index), await json_object(request))
        return ok(port.snapshot())

    @control_route("POST", "/_sim/push-url")
    async def _push_url(self, request: web.Request) -> web.StreamResponse:
        url = optional_text_field(await json_object(request), "url")
        self._sim.pusher.url = url
        return ok({"url": url})

    @control_route("POST", "/_sim/push/{kind}")
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
            port = sim.state.ports[_port_index(sim, body.get("port"))]
            status = body.get("status", "up" if port.registered else "down")
            if status not in {"up", "down"}:
                raise ControlError("status must be up or down")
            sim.port_service.push_register(port, up=status == "up")
            event = {"port": port.port, "status": status}
        else:
            raise ControlError("push type must be cdr, device, exception_info or register")
        return ok({"pushed": kind, "event": event, "push_url": sim.pusher.url})

    @control_route("POST", "/_sim/incoming-id-reset")
    async def _incoming_id_reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.inbox.reset_ids()
        return ok({"next_incoming_sms_id": self._sim.state.next_incoming_id})

    @control_route("POST", "/_sim/ussd-replies")
    async def _ussd_replies(self, request: web.Request) -> web.StreamResponse:
        body = await json_object(request)
        text = optional_text_field(body, "text")
        ussd = self._sim.ussd
        if "port" in body:
            _set_or_clear(ussd.port_replies, _port_index(self._sim, body["port"]), text)
        elif "code" in body:
            _set_or_clear(ussd.code_replies, text_field(body, "code"), text)
        else:
            raise ControlError("give a port or a code")
        return ok(self._sim.snapshot()["ussd"])

    @control_route("POST", "/_sim/expire-nonces")
    async def _expire_nonces(self, _request: web.Request) -> web.StreamResponse:
        self._sim.verifier.expire_all()
        return ok({"expired": self._sim.verifier.nonce_count})

    @control_route("POST", "/_sim/reboot")
    async def _reboot(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.reboot()
        return ok({"rebooting": True})

    @control_route("POST", "/_sim/boot")
    async def _boot(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.boot()
        return ok({"rebooting": False})

    @control_route("POST", "/_sim/requests-reset")
    async def _requests_reset(self, _request: web.Request) -> web.StreamResponse:
        self._sim.gate.reset_counts()
        return ok({})
