"""An SMSLink account (SMS Gateway HTTP, JSON and BULK v3 APIs) that runs in-process, per spec §3.

    sim = SmsLinkSimulator(SmsLinkSettings(callback_url="http://127.0.0.1:8123/hook"))
    server = await serve(sim.create_app())

The simulator is written from the spec alone: it must never import the client it checks.
"""

import asyncio
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict
import random
from typing import Any

from aiohttp import web

from simulators.background import BackgroundTasks
from simulators.simulator_app import simulator_app
from simulators.smslink.account import Account
from simulators.smslink.bulk import BulkSend, read_upload, render_bulk
from simulators.smslink.callbacks import Callbacks
from simulators.smslink.control import SmsLinkControl
from simulators.smslink.faults import default_faults
from simulators.smslink.http_api import SingleSend, render_json, render_line, request_params
from simulators.smslink.sending import Sending
from simulators.smslink.settings import SmsLinkSettings
from simulators.transport import delay, drop_connection

__all__ = ["SmsLinkSettings", "SmsLinkSimulator"]

INDEX_PATH = "/sms/gateway/communicate/index.php"
JSON_PATH = "/sms/gateway/communicate/json.php"
BULK_PATH = "/sms/gateway/communicate/bulk-v3.php"
_MALFORMED = "<html><body>Service temporarily unavailable</body></html>"
_LOG_SIZE = 1000
_SECRET_FIELDS = frozenset({"password"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SmsLinkSimulator:
    """One simulated account: its state, its APIs and the aiohttp app that serves them."""

    def __init__(self, settings: SmsLinkSettings | None = None) -> None:
        """Build the account and its services; nothing runs until create_app() is served."""
        self.settings = settings or SmsLinkSettings()
        settings = self.settings
        self.faults: dict[str, Any] = default_faults()
        self.rng = random.Random(settings.seed)
        self.account = Account(
            national_credit=settings.national_credit,
            international_credit=settings.international_credit,
            senders=dict(settings.senders),
            blacklist=set(settings.blacklist),
            next_message_id=settings.first_message_id,
        )
        self.tasks = BackgroundTasks()
        self.callbacks = Callbacks(settings.callback_url, self.faults, self.tasks)
        self.sending = Sending(
            self.account, self.faults, self.rng, self.callbacks, self.tasks, settings.connection_id
        )
        credentials = (settings.connection_id, settings.password)
        self.single = SingleSend(self.account, self.sending, self.faults, *credentials)
        self.bulk = BulkSend(self.account, self.sending, self.faults, *credentials)
        self.request_counts: Counter[str] = Counter()
        self.log: deque[dict[str, Any]] = deque(maxlen=_LOG_SIZE)
        # Set on shutdown: requests held by latency_ms drop their connections at once.
        self._released = asyncio.Event()

    def create_app(self) -> web.Application:
        """Build the aiohttp app: control API, then the three APIs."""
        app = simulator_app(
            SmsLinkControl(self),
            tasks=self.tasks,
            outbound=self.callbacks,
            release=self._released.set,
        )
        for path, handler in (
            (INDEX_PATH, self._index),
            (JSON_PATH, self._json),
        ):
            app.router.add_route("GET", path, self._gated(handler))
            app.router.add_route("POST", path, self._gated(handler))
        app.router.add_route("POST", BULK_PATH, self._gated(self._bulk_v3))
        return app

    def _gated(self, handler: Handler) -> Handler:
        """Count and log the request, then play the transport faults before the handler."""

        async def gated(request: web.Request) -> web.StreamResponse:
            self.request_counts[request.path] += 1
            entry: dict[str, Any] = {"method": request.method, "path": request.path}
            entry["query"] = {k: v for k, v in request.query.items() if k not in _SECRET_FIELDS}
            entry["content_type"] = request.content_type
            self.log.append(entry)
            faults = self.faults
            if faults["latency_ms"]:
                await delay(faults["latency_ms"], self._released)
            if self._released.is_set() or faults["down"] or self.rng.random() < faults["drop_rate"]:
                return drop_connection(request)
            if self.rng.random() < faults["http_5xx_rate"]:
                return web.Response(status=500, text="500 Internal Server Error")
            if faults["malformed"]:
                return web.Response(text=_MALFORMED, content_type="text/html")
            return await handler(request)

        return gated

    async def _index(self, request: web.Request) -> web.StreamResponse:
        params = await request_params(request, json_body=False)
        return render_line(self.single.answer(params), self.faults)

    async def _json(self, request: web.Request) -> web.StreamResponse:
        params = await request_params(request, json_body=True)
        credit_mode = params.get("mode", "").lower() in {"credit", "account-balance"}
        return render_json(self.single.answer(params), self.faults, credit_mode=credit_mode)

    async def _bulk_v3(self, request: web.Request) -> web.StreamResponse:
        upload = await read_upload(request)
        return render_bulk(self.bulk.answer(upload), self.faults)

    def snapshot(self) -> dict[str, Any]:
        """Everything the simulator holds, JSON-ready (the password is left out)."""
        settings = asdict(self.settings)
        settings.pop("password")
        settings["blacklist"] = sorted(settings["blacklist"])
        return {
            "settings": settings,
            "faults": self.faults,
            "callback_url": self.callbacks.url,
            "account": self.account.snapshot(),
            "packages": list(self.bulk.packages),
            "callbacks": list(self.callbacks.history),
            "replies": list(self.callbacks.replies),
            "requests": {"counts": dict(self.request_counts), "log": list(self.log)},
            "pending_tasks": len(self.tasks),
        }
