"""Run Home Assistant as a child process and talk to its REST API with the demo's token."""

import asyncio
from collections.abc import Sequence
import contextlib
from pathlib import Path
import signal
import sys
from typing import Any

import aiohttp

_STOP_GRACE = 60.0
_POLL_PAUSE = 0.5
_REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=5)


class DemoError(Exception):
    """The demo cannot go on (the message says why and what to look at)."""


class HomeAssistantApi:
    """The few REST calls the demo needs."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        """Call base_url with a bearer token (the websocket API authenticates with it too)."""
        self.session = session
        self.base_url = base_url
        self.token = token
        self._headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str) -> Any:
        """GET a JSON document; raise aiohttp.ClientError on failure."""
        async with self.session.get(
            f"{self.base_url}{path}", headers=self._headers, timeout=_REQUEST_TIMEOUT
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state, by entity id."""
        return {state["entity_id"]: state for state in await self.get("/api/states")}

    async def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """List the domain's config entries with their state ("loaded", "setup_error" ...)."""
        return list(await self.get(f"/api/config/config_entries/entry?domain={domain}"))


class HomeAssistantProcess:
    """`python -m homeassistant -c CONFIG --skip-pip` in its own session (Ctrl-C reaches us)."""

    def __init__(self, config_dir: Path) -> None:
        """Nothing runs until start()."""
        self._config_dir = config_dir
        self._process: asyncio.subprocess.Process | None = None

    @property
    def command(self) -> Sequence[str]:
        """The command line; pip is skipped, so a missing package fails loudly instead."""
        return [sys.executable, "-m", "homeassistant", "-c", str(self._config_dir), "--skip-pip"]

    async def start(self) -> None:
        """Start Home Assistant; its console log goes to our terminal."""
        self._process = await asyncio.create_subprocess_exec(*self.command, start_new_session=True)

    @property
    def exited(self) -> bool:
        """Whether the process has stopped."""
        return self._process is not None and self._process.returncode is not None

    async def wait(self) -> int:
        """Wait until Home Assistant exits; its exit status."""
        if self._process is None:
            return 0
        return await self._process.wait()

    async def stop(self) -> None:
        """Ask Home Assistant to stop (SIGTERM), kill it if it takes too long."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), _STOP_GRACE)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def wait_until_api_answers(
    api: HomeAssistantApi, process: HomeAssistantProcess, within: float
) -> None:
    """Poll /api/ until Home Assistant answers; fail early when it exits."""
    async with asyncio.timeout(within):
        while True:
            if process.exited:
                raise DemoError("Home Assistant stopped during start-up: see its log above")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                await api.get("/api/")
                return
            await asyncio.sleep(_POLL_PAUSE)


async def wait_for_entities(
    api: HomeAssistantApi, entity_ids: Sequence[str], within: float
) -> list[str]:
    """Wait until every entity has a state; return those still missing after `within` s."""
    missing = list(entity_ids)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(within):
            while missing:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    states = await api.states()
                    missing = [entity_id for entity_id in entity_ids if entity_id not in states]
                if missing:
                    await asyncio.sleep(_POLL_PAUSE)
    return missing
