"""What the simulators' /_sim/ control APIs share (no auth, JSON): DESIGN.md.

ControlApi serves the routes every simulator has (`GET /_sim/state`, `POST /_sim/faults`); each
simulator's control module adds its own. A refused request is answered 400 the same way for all.
"""

from collections.abc import Awaitable, Callable, Iterable
import json
from typing import Any, ClassVar, Protocol

from aiohttp import web

from simulators.control_fields import ControlError, json_object
from simulators.switches import SwitchTable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]
_ROUTE_MARK = "_control_route"


def ok(data: Any) -> web.Response:
    """Answer JSON with non-ASCII text kept readable."""
    return web.json_response(data, dumps=lambda value: json.dumps(value, ensure_ascii=False))


def guarded(handler: Handler, key_error_prefix: str) -> Handler:
    """Turn a refused request into a 400 JSON error; a KeyError names the unknown key."""

    async def guarded_handler(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ControlError, ValueError, KeyError) as err:
            message = f"{key_error_prefix} {err}" if isinstance(err, KeyError) else str(err)
            return web.json_response({"error": message}, status=400)

    return guarded_handler


def add_routes(app: web.Application, routes: Iterable[Route], key_error_prefix: str) -> None:
    """Register (method, path, handler) routes, each guarded."""
    for method, path, handler in routes:
        app.router.add_route(method, path, guarded(handler, key_error_prefix))


class Steerable(Protocol):
    """What every simulator offers its control API: a snapshot and its live switches."""

    @property
    def faults(self) -> dict[str, Any]:
        """The fault and variant switches, as the simulator reads them at each use."""

    def snapshot(self) -> dict[str, Any]:
        """Everything the simulator holds, JSON-ready."""


def control_route[H: Callable[..., Awaitable[web.StreamResponse]]](
    method: str, path: str
) -> Callable[[H], H]:
    """Mark a ControlApi method as the handler of method and path."""

    def mark(handler: H) -> H:
        setattr(handler, _ROUTE_MARK, (method, path))
        return handler

    return mark


class ControlApi[S: Steerable]:
    """Serves the routes marked with control_route: state and faults here, more in subclasses."""

    table: ClassVar[SwitchTable]
    key_error_prefix: ClassVar[str] = "unknown switch"

    def __init__(self, sim: S) -> None:
        """Steer this simulator."""
        self._sim = sim

    def routes(self) -> list[Route]:
        """Every marked method of this class and its bases, bound to this instance."""
        found: list[Route] = []
        for name in dir(type(self)):
            mark = getattr(getattr(type(self), name), _ROUTE_MARK, None)
            if mark is not None:
                method, path = mark
                found.append((method, path, getattr(self, name)))
        return found

    def add_routes(self, app: web.Application) -> None:
        """Register the control routes (before any API catch-all)."""
        add_routes(app, self.routes(), self.key_error_prefix)

    @control_route("GET", "/_sim/state")
    async def _state(self, _request: web.Request) -> web.StreamResponse:
        return ok(self._sim.snapshot())

    @control_route("POST", "/_sim/faults")
    async def _faults(self, request: web.Request) -> web.StreamResponse:
        """Check every switch of the body first, so a bad one changes nothing."""
        body = await json_object(request)
        for name, value in body.items():
            self.table.validate(name, value)
        self.apply_faults(body)
        return ok(self._sim.faults)

    def apply_faults(self, body: dict[str, Any]) -> None:
        """Set the checked switches; a subclass may treat some names as actions."""
        self._sim.faults.update(body)
