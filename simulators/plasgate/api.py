"""The Plasgate routes (spec §3.1 to §3.5): faults, authentication, rate limits, then the send.

Order per request: count it, down, latency, 5xx, auth, rate limit, body checks, the send, and
the malformed-answer fault last.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
import json
import random
from typing import Any
import uuid

from aiohttp import web

from simulators.gsm_segments import GSM7, UNICODE, segment_count
from simulators.plasgate import checks
from simulators.plasgate.checks import Refused
from simulators.plasgate.delivery import Delivery
from simulators.plasgate.limits import BATCH_LIMIT, SEND_LIMIT, RateLimiter
from simulators.plasgate.masking import delivered_text, report_text
from simulators.plasgate.messages import Message
from simulators.plasgate.replies import (
    accepted,
    auth_refused,
    non_authoritative,
    refused_json,
    refused_text,
)
from simulators.plasgate.settings import PlasgateSettings
from simulators.transport import delay, drop_connection

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_ASCII_LAST = 0x7F


def _segments(text: str) -> int:
    encoding = GSM7 if all(ord(char) <= _ASCII_LAST for char in text) else UNICODE
    return segment_count(text, encoding)


def _json_body(raw: bytes) -> dict[str, Any]:
    """Read the body as a JSON object, whatever the Content-Type (the docs' example has none)."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise Refused(400, "body is not JSON") from None
    if not isinstance(body, dict):
        raise Refused(400, "body is not a JSON object")
    return body


async def _form(request: web.Request) -> dict[str, str]:
    """Read multipart or urlencoded form fields (files, if any, are ignored)."""
    return {name: value for name, value in (await request.post()).items() if isinstance(value, str)}


class PlasgateApi:
    """Serves the API paths with the simulator's state and switches."""

    def __init__(
        self,
        settings: PlasgateSettings,
        switches: Mapping[str, Any],
        limiter: RateLimiter,
        delivery: Delivery,
        rng: random.Random,
        certificate_pem: str,
    ) -> None:
        """Messages accepted so far are kept in `messages`, in order."""
        self.settings = settings
        self._switches = switches
        self._limiter = limiter
        self._delivery = delivery
        self._rng = rng
        self._certificate_pem = certificate_pem
        self.messages: list[Message] = []
        self.request_counts: Counter[str] = Counter()
        self.closing = asyncio.Event()
        self.routes: dict[tuple[str, str], Handler] = {
            ("POST", "/rest/send"): self._rest_send,
            ("POST", "/rest/batch-send"): self._batch_send,
            ("POST", "/api/send"): self._api_send,
            ("GET", "/sms/public/certificates"): self._certificates,
            ("GET", "/balance"): self._balance,
            ("GET", "/secure/balance"): self._balance,
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Entry point for every non-control path."""
        path = request.path
        self.request_counts[path] += 1
        fault = await self._transport_fault(request)
        if fault is not None:
            return fault
        handler = self.routes.get((request.method, path))
        if handler is None or (path.endswith("balance") and not self._switches["jasmin_balance"]):
            return web.Response(status=404, text="404: Not Found")
        try:
            response = await handler(request)
        except Refused as err:
            if path == "/api/send" and self._switches["http_api_response_shape"] == "jasmin_text":
                return refused_text(err.status, err.reason)
            return refused_json(err.status, err.reason)
        if self._switches["malformed_answers"]:
            return web.Response(
                status=response.status, text='{"queue_id": "', content_type="application/json"
            )
        return response

    async def _transport_fault(self, request: web.Request) -> web.Response | None:
        """Play the down, slow and 500 switches."""
        switches = self._switches
        if switches["down"]:
            return drop_connection(request)
        if switches["latency_ms"]:
            # Cut short when the server stops, so no handler outlives it.
            await delay(switches["latency_ms"], self.closing)
        if switches["http_5xx_rate"] and self._rng.random() < switches["http_5xx_rate"]:
            return web.Response(status=500, text="Internal Server Error")
        return None

    # -- authentication and rate limits ---------------------------------------------------

    def _rest_credential(self, request: web.Request) -> str | None:
        """Return the private key when it and the X-Secret header match; None otherwise."""
        key = request.query.get("private_key")
        secret = request.headers.get("X-Secret")
        if key != self.settings.private_key or secret != self.settings.secret:
            return None
        return key

    def _check_rate(self, request: web.Request, bucket: str, credential: str, limit: int) -> None:
        scope = self._switches["rate_limit_scope"]
        key = {"credential": credential, "ip": request.remote or "?", "global": "*"}[scope]
        if not self._limiter.allow(bucket, key, limit):
            raise Refused(int(self._switches["rate_limit_status"]), "Too many requests")

    def _rest_gate(self, request: web.Request, bucket: str, limit: int) -> web.Response | None:
        credential = self._rest_credential(request)
        if credential is None:
            switches = self._switches
            return auth_refused(int(switches["auth_error_status"]), switches["auth_error_body"])
        self._check_rate(request, bucket, credential, limit)
        if self._switches["non_authoritative_203"]:
            return non_authoritative()
        return None

    # -- sends --------------------------------------------------------------------------

    def _message(self, to: str, text: str, sender: str, endpoint: str, **extra: Any) -> Message:
        message = Message(
            to=to,
            sender=sender,
            content=delivered_text(text),
            report_content=report_text(text, self._switches["mask_style"]),
            endpoint=endpoint,
            segments=_segments(delivered_text(text)),
            **extra,
        )
        self.messages.append(message)
        return message

    def _single(self, fields: Mapping[str, Any], endpoint: str) -> Message:
        sender = checks.sender(fields, self._switches, self.settings.senders)
        to = checks.number(checks.required_text(fields, "to"), self._switches)
        if to is None:
            raise Refused(400, "to is not a valid number")
        text = checks.content(fields.get("content"), self._switches)
        dlr = checks.dlr_request(fields)
        message = self._message(to, text, sender, endpoint, dlr=dlr)
        self._delivery.start(message)
        return message

    async def _rest_send(self, request: web.Request) -> web.StreamResponse:
        refusal = self._rest_gate(request, "send", SEND_LIMIT)
        if refusal is not None:
            return refusal
        message = self._single(_json_body(await request.read()), "/rest/send")
        return accepted(self._switches["rest_response_shape"], message.id, message.segments)

    def _batch_block(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        block = body.get("batch_config")
        if block is None and self._switches["accept_configs_key"]:
            block = body.get("configs")
        if block is None:
            return {}
        if not isinstance(block, dict):
            raise Refused(400, "batch_config must be an object")
        return block

    async def _batch_send(self, request: web.Request) -> web.StreamResponse:
        refusal = self._rest_gate(request, "batch", BATCH_LIMIT)
        if refusal is not None:
            return refusal
        body = _json_body(await request.read())
        globals_ = body.get("globals")
        if not isinstance(globals_, dict):
            raise Refused(400, "globals is required")
        sender = checks.sender(globals_, self._switches, self.settings.senders)
        dlr = checks.dlr_request(globals_)
        block = self._batch_block(body)
        extra = {
            "callback_url": checks.optional_url(block, "callback_url"),
            "errback_url": checks.optional_url(block, "errback_url"),
            "schedule_at": checks.schedule_at(block.get("schedule_at"), self._switches),
        }
        entries = body.get("messages")
        if not isinstance(entries, list) or not entries:
            raise Refused(400, "messages must be a non-empty list")
        planned: list[tuple[str, str]] = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("to"), list):
                raise Refused(400, "each message needs a list `to` and a `content`")
            text = checks.content(entry.get("content"), self._switches)
            if not entry["to"]:
                raise Refused(400, "to must not be empty")
            planned += [(to, text) for to in entry["to"]]
        batch_id = str(uuid.uuid4())
        for to, text in planned:
            valid = checks.number(to, self._switches)
            message = self._message(
                valid or str(to),
                text,
                sender,
                "/rest/batch-send",
                dlr=dlr,
                batch_id=batch_id,
                rejection=None if valid else "Invalid destination address",
                **extra,
            )
            self._delivery.start(message)
        shape = self._switches["rest_response_shape"]
        return accepted(shape, batch_id, len(planned))

    async def _api_send(self, request: web.Request) -> web.StreamResponse:
        fields = await _form(request)
        username, password = fields.get("username"), fields.get("password")
        if username != self.settings.username or password != self.settings.password:
            raise Refused(int(self._switches["http_api_auth_status"]), "Authentication failure")
        self._check_rate(request, "send", username, SEND_LIMIT)
        message = self._single(fields, "/api/send")
        if self._switches["http_api_response_shape"] == "json":
            return web.json_response({"queue_id": message.id, "message_count": message.segments})
        return web.Response(text=f'Success "{message.id}"')

    async def _certificates(self, request: web.Request) -> web.StreamResponse:
        if self._rest_credential(request) is None:
            switches = self._switches
            return auth_refused(int(switches["auth_error_status"]), switches["auth_error_body"])
        return web.Response(text=self._certificate_pem, content_type="application/x-pem-file")

    async def _balance(self, request: web.Request) -> web.StreamResponse:
        by_login = (
            request.query.get("username") == self.settings.username
            and request.query.get("password") == self.settings.password
        )
        if not by_login and self._rest_credential(request) is None:
            raise Refused(403, "Authentication failure")
        sent = sum(message.segments for message in self.messages)
        return web.json_response({"balance": self.settings.balance, "sms_count": sent})
