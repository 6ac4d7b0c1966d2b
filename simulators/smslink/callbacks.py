"""Calls from SMSLink to the customer's URL (spec §2.8, §2.9, §3.6): delivery reports and 2-Way.

Each call runs as its own background task; a receiver that is down, slow or failing never breaks
the simulator, and every attempt is recorded for the control API.
"""

import asyncio
from collections.abc import Callable, Mapping
import json
import logging
from typing import Any

import aiohttp

from simulators.background import BackgroundTasks
from simulators.outbound import OutboundCalls

_LOGGER = logging.getLogger(__name__)
_TIMEOUT = 10.0
_MO_EXTRA_ATTEMPTS = 2  # spec §2.9: "2 more times within the following 2 hours"


def _succeeded(status: int | None) -> bool:
    return status is not None and status < 400  # noqa: PLR2004 (§2.9: 400-599 is a failure)


def _request_options(style: str, fields: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """GET with a query, POST with a form, or POST with a JSON body."""
    if style == "query":
        return "GET", {"params": fields}
    if style == "form":
        return "POST", {"data": fields}
    body = json.dumps(fields, ensure_ascii=False)
    return "POST", {"data": body, "headers": {"Content-Type": "application/json"}}


class Callbacks(OutboundCalls):
    """Sends DLR and MO callbacks to `url` the way the account's switches say."""

    def __init__(self, url: str | None, faults: Mapping[str, Any], tasks: BackgroundTasks) -> None:
        """Nothing is called while url is None."""
        super().__init__(_TIMEOUT)
        self.url = url
        self._faults = faults
        self._tasks = tasks
        self.replies: list[dict[str, str]] = []

    def delivery_report(self, fields: dict[str, str]) -> bool:
        """Queue a DLR; False when no URL is set."""
        if self.url is None:
            return False
        method = self._faults["dlr_method"]
        style = "query" if method == "GET" else self._faults["dlr_post_format"]
        attempts = 1 + int(self._faults["dlr_retries"])
        self._tasks.spawn(self._call("dlr", self.url, style, fields, attempts, lambda _n: 0.05))
        return True

    def incoming(self, fields: dict[str, str]) -> bool:
        """Queue a 2-Way MO call; False when no URL is set."""
        if self.url is None:
            return False
        style = {"GET": "query", "POST": "form", "POST_JSON": "json"}[self._faults["mo_method"]]
        window = float(self._faults["mo_retry_window_s"])
        pause = window / _MO_EXTRA_ATTEMPTS
        self._tasks.spawn(
            self._call("mo", self.url, style, fields, 1 + _MO_EXTRA_ATTEMPTS, lambda _n: pause)
        )
        return True

    async def _call(
        self,
        kind: str,
        url: str,
        style: str,
        fields: dict[str, str],
        attempts: int,
        pause: Callable[[int], float],
    ) -> None:
        for attempt in range(1, attempts + 1):
            entry: dict[str, Any] = {"type": kind, "url": url, "style": style, "fields": fields}
            entry.update(attempt=attempt, status=None, error=None, body=None)
            try:
                method, options = _request_options(style, fields)
                async with self.session.request(method, url, **options) as response:
                    entry["body"] = (await response.read()).decode(errors="replace")
                    entry["status"] = response.status
            except (aiohttp.ClientError, TimeoutError) as err:
                entry["error"] = type(err).__name__
                _LOGGER.debug("SMSLink %s callback failed: %s", kind, type(err).__name__)
            self.history.append(entry)
            if _succeeded(entry["status"]):
                self._maybe_reply(kind, entry, fields)
                return
            if attempt < attempts:
                await asyncio.sleep(pause(attempt))

    def _maybe_reply(self, kind: str, entry: dict[str, Any], fields: dict[str, str]) -> None:
        """§2.9 "respond with script output": a 2xx plain-text body goes back as an SMS."""
        text = (entry["body"] or "").strip()
        status = entry["status"]
        if kind == "mo" and self._faults["mo_respond_with_output"] and status < 300 and text:  # noqa: PLR2004
            self.replies.append({"to": fields["sender"], "text": text})
