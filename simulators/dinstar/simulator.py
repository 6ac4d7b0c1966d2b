"""A Dinstar GSM gateway (HTTP API, firmware >= 1102) that runs in-process, per spec §3.

    sim = DinstarSimulator(DinstarSettings(ports=8, push_url="http://127.0.0.1:8123/hook"))
    server = await serve(sim.create_app())

The simulator is written from the spec alone: it must never import the client it checks.
"""

from dataclasses import asdict
import random
from typing import Any

from aiohttp import web

from simulators.background import BackgroundTasks
from simulators.digest_server import DigestVerifier
from simulators.dinstar.control import DinstarControl
from simulators.dinstar.device import DeviceService
from simulators.dinstar.faults import default_faults
from simulators.dinstar.gate import ApiGate, Route
from simulators.dinstar.inbox import InboxService
from simulators.dinstar.ports import PortsService
from simulators.dinstar.push import Pusher
from simulators.dinstar.service import GatewayParts
from simulators.dinstar.settings import DinstarSettings
from simulators.dinstar.sms import SmsService
from simulators.dinstar.state import GatewayState, PortState, make_ports
from simulators.dinstar.stk import StkService
from simulators.dinstar.ussd import UssdService
from simulators.simulator_app import simulator_app

__all__ = ["DinstarSettings", "DinstarSimulator"]


class DinstarSimulator:
    """One simulated gateway: its state, its services and the aiohttp app that serves them."""

    def __init__(self, settings: DinstarSettings | None = None) -> None:
        """Build ports and services; nothing runs until create_app() is served."""
        self.settings = settings or DinstarSettings()
        settings = self.settings
        self.faults: dict[str, Any] = default_faults()
        self.rng = random.Random(settings.seed)
        self.state = GatewayState(
            ports=make_ports(settings.ports, self.rng, multi_sim=settings.multi_sim)
        )
        self.tasks = BackgroundTasks()
        self.verifier = DigestVerifier(
            settings.username,
            settings.password,
            lifetime=lambda: float(self.faults["nonce_lifetime"]),
        )
        self.pusher = Pusher(settings.sn, settings.push_url, self.faults, self.tasks)
        parts = GatewayParts(self.state, self.faults, self.rng, self.pusher, self.tasks)
        self.port_service = PortsService(
            parts,
            register_delay=lambda: settings.register_delay,
            multi_sim=settings.multi_sim,
        )
        self.sms = SmsService(
            parts,
            send_delay=lambda: settings.send_delay,
            deliver_delay=lambda: settings.deliver_delay,
            failure_rate=lambda: settings.failure_rate,
            capacity=settings.queue_capacity,
        )
        self.inbox = InboxService(parts)
        self.ussd = UssdService(parts, delay=lambda: settings.ussd_delay)
        self.stk = StkService(parts)
        self.device = DeviceService(parts)
        self.port_service.listeners += [self.ussd.port_changed, lambda _port: self.sms.dispatch()]
        self.gate = ApiGate(self._routes(), self.verifier, self.faults, self.rng, settings.sn)

    def _routes(self) -> dict[str, Route]:
        """Spec §2.7: method and handler per path (STK paths have no /api/ prefix)."""
        return {
            "/api/send_sms": Route("POST", self.sms.send_sms),
            "/api/query_sms_result": Route("POST", self.sms.query_sms_result),
            "/api/query_sms_deliver_status": Route("POST", self.sms.query_sms_deliver_status),
            "/api/query_sms_in_queue": Route("GET", self.sms.query_sms_in_queue),
            "/api/query_incoming_sms": Route("GET", self.inbox.query_incoming_sms),
            "/api/stop_sms": Route("GET", self.sms.stop_sms),
            "/api/send_ussd": Route("POST", self.ussd.send_ussd),
            "/api/query_ussd_reply": Route("GET", self.ussd.query_ussd_reply),
            "/api/get_port_info": Route("GET", self.port_service.get_port_info),
            "/api/set_port_info": Route("GET", self.port_service.set_port_info),
            "/api/get_cdr": Route("POST", self.device.get_cdr),
            "/api/get_status": Route("POST", self.device.get_status),
            "/GetSTKView": Route("GET", self.stk.get_view),
            "/STKGo": Route("POST", self.stk.go),
            "/GetSTKCurrFrameIndex": Route("GET", self.stk.current_frame_index),
        }

    @property
    def ports(self) -> list[PortState]:
        """The ports, index = port number on the wire."""
        return self.state.ports

    @property
    def request_counts(self) -> dict[str, int]:
        """Requests received per path (challenges, drops and refusals included)."""
        return dict(self.gate.request_counts)

    @property
    def pushes(self) -> list[dict[str, Any]]:
        """Every push attempt, oldest first (bounded)."""
        return list(self.pusher.history)

    def create_app(self) -> web.Application:
        """Build the aiohttp app: control API, then every other path through the gate."""
        app = simulator_app(
            DinstarControl(self),
            tasks=self.tasks,
            outbound=self.pusher,
            release=self.gate.release_hung,
        )
        app.router.add_route("*", "/{path:.*}", self.gate.handle)
        return app

    def snapshot(self) -> dict[str, Any]:
        """Everything the simulator holds, JSON-ready (the password is left out)."""
        state = self.state
        settings = {k: v for k, v in asdict(self.settings).items() if k != "password"}
        return {
            "sn": self.settings.sn,
            "settings": settings,
            "faults": self.faults,
            "push_url": self.pusher.url,
            "ports": [port.snapshot() for port in state.ports],
            "queue": [asdict(item) for item in state.queue],
            "in_queue": self.sms.in_queue,
            "tasks": sorted(state.tasks),
            "results": [asdict(record) for record in state.results],
            "deliveries": [asdict(record) for record in state.deliveries],
            "inbox": [asdict(message) for message in state.inbox],
            "next_incoming_sms_id": state.next_incoming_id,
            "cdrs": state.cdrs,
            "ussd": {
                "sessions": {str(k): asdict(v) for k, v in self.ussd.sessions.items()},
                "port_replies": {str(k): v for k, v in self.ussd.port_replies.items()},
                "code_replies": dict(self.ussd.code_replies),
            },
            "stk": [{"frame": key, "frame_id": frame_id} for key, frame_id in self.stk.current],
            "requests": {
                "counts": dict(self.gate.request_counts),
                "handled": dict(self.gate.handled_counts),
                "log": list(self.gate.log),
            },
            "pushes": {
                "sent": self.pusher.sent,
                "pending": self.pusher.pending,
                "history": list(self.pusher.history),
            },
        }
