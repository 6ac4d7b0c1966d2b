"""HTTP callbacks from the simulator to the client: DLRs and batch callbacks (spec §3.4, §3.6).

A receiver that is down, slow or wrong never breaks the simulator; every attempt is recorded.
"""

import asyncio
from collections.abc import Mapping
import logging
from typing import Any, Final

import aiohttp

from simulators.outbound import OutboundCalls

_LOGGER = logging.getLogger(__name__)
JASMIN_ACK: Final = "ACK/Jasmin"


class CallbackSender(OutboundCalls):
    """Sends GET (query) or POST (form) callbacks with the configured acknowledgement rules."""

    def __init__(self, switches: Mapping[str, Any], timeout: float) -> None:
        """Retries and the ack rule are read from switches at each call."""
        super().__init__(timeout)
        self._switches = switches

    def _acknowledged(self, status: int, body: str) -> bool:
        if self._switches["require_jasmin_ack"]:
            return status == 200 and body.strip() == JASMIN_ACK  # noqa: PLR2004
        return 200 <= status < 300  # noqa: PLR2004

    async def send(
        self, kind: str, url: str, method: str, params: dict[str, str], *, retries: bool
    ) -> bool:
        """Call url until acknowledged or out of retries; True when acknowledged."""
        attempts = 1 + (int(self._switches["dlr_retries"]) if retries else 0)
        for attempt in range(1, attempts + 1):
            entry: dict[str, Any] = {"kind": kind, "url": url, "method": method}
            entry.update(params=params, attempt=attempt, status=None, body=None, error=None)
            entry["acknowledged"] = False
            self.history.append(entry)
            try:
                request = (
                    self.session.get(url, params=params)
                    if method == "GET"
                    else self.session.post(url, data=params)
                )
                async with request as response:
                    entry["body"] = await response.text(errors="replace")
                    entry["status"] = response.status
            except (aiohttp.ClientError, TimeoutError) as err:
                entry["error"] = type(err).__name__
                _LOGGER.debug("Callback %s failed: %s", kind, type(err).__name__)
            if entry["status"] is not None and self._acknowledged(entry["status"], entry["body"]):
                entry["acknowledged"] = True
                return True
            if attempt < attempts:
                await asyncio.sleep(float(self._switches["dlr_retry_interval_s"]))
        return False
