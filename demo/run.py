"""`python -m demo`: the simulators in this process, Home Assistant as a child, until Ctrl-C."""

import asyncio
import contextlib
import secrets
import signal
import socket

import aiohttp

from simulators.dinstar.simulator import DinstarSimulator

from .cloud_check import cloud_problems
from .cloud_simulators import point_smslink_callbacks_at, start_cloud_simulators
from .config_dir import build_config_dir
from .console import say
from .dashboard import dashboard_entity_ids
from .entries import gateway_title
from .home_assistant import (
    DemoError,
    HomeAssistantApi,
    HomeAssistantProcess,
    wait_for_entities,
    wait_until_api_answers,
)
from .inject import describe, entity_state, incoming_sms_entity, wait_until_shown
from .runtime_file import DemoRuntime
from .settings import (
    CONFIG_DIR,
    DEFAULT_HA_PORT,
    HOST,
    LOGIN_PASSWORD,
    LOGIN_USERNAME,
    PLASGATE_PRIVATE_KEY,
    PLASGATE_SECRET,
    PLASGATE_SENDER,
    RUNTIME_FILE,
    SMPP_PASSWORD,
    SMPP_SYSTEM_ID,
    SMSLINK_CONNECTION_ID,
    SMSLINK_PASSWORD,
    SMSLINK_SENDER,
    CloudEndpoint,
    DemoEndpoints,
)
from .simulator import (
    build_simulator,
    point_pushes_at,
    send_welcome_sms,
    set_gateway_clock,
    start_simulator,
)

_START_TIMEOUT = 300.0
_ENTITIES_TIMEOUT = 90.0
# Started with the gateway's entry, so they are usually there by the time its entities are.
_CLOUD_TIMEOUT = 30.0


def pick_ha_port(wanted: int | None) -> int:
    """Choose the port asked for, else 8123 when it is free, else any free port."""
    if wanted is not None:
        return wanted
    for candidate in (DEFAULT_HA_PORT, 0):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise DemoError("no free TCP port on 127.0.0.1")


def _banner(endpoints: DemoEndpoints, problems: list[str]) -> str:
    lines = [
        "",
        "=" * 72,
        f"  Home Assistant:     {endpoints.ha_url}/lovelace/sim-ports",
        f"  Login:              {LOGIN_USERNAME} / {LOGIN_PASSWORD}",
        f"  Dinstar simulator:  {endpoints.simulator_url}  (control API under /_sim/)",
        f"  SMSLink simulator:  {endpoints.smslink.url}  "
        f"(login {SMSLINK_CONNECTION_ID} / {SMSLINK_PASSWORD})",
        f"  Plasgate simulator: {endpoints.plasgate.url}  "
        f"(keys {PLASGATE_PRIVATE_KEY} / {PLASGATE_SECRET})",
        f"  Plasgate SMPP:      {endpoints.plasgate_smpp}  "
        f"(system_id {SMPP_SYSTEM_ID} / {SMPP_PASSWORD}, no TLS)",
        '  Send an SMS:        make demo-sms FROM=+40712345678 TEXT="hello"',
        f'                      make demo-sms PROVIDER=smslink FROM={SMSLINK_SENDER} TEXT="hello"',
        f'                      make demo-sms PROVIDER=plasgate FROM={PLASGATE_SENDER} TEXT="hello"'
        "  (over SMPP)",
        "  Stop:               Ctrl-C",
        "=" * 72,
    ]
    lines[-1:-1] = [f"  Warning: {problem}" for problem in problems]
    return "\n".join(lines)


async def _check_push(api: HomeAssistantApi, sim: DinstarSimulator) -> list[str]:
    """Send a first SMS through the gateway's push and check that Home Assistant shows it."""
    entity_id = incoming_sms_entity(0)
    before = await entity_state(api, entity_id)
    incoming_id = send_welcome_sms(sim)
    shown = await wait_until_shown(api, entity_id, before)
    if shown is None:
        return [f"the welcome SMS #{incoming_id} did not reach {entity_id}"]
    say(describe(entity_id, shown))
    return []


async def _until_stopped(process: HomeAssistantProcess) -> None:
    """Return on SIGINT or SIGTERM, or when Home Assistant exits by itself."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(process.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(stop_signal)


async def _refuse_second_demo() -> None:
    """Raise DemoError when another demo runs from this checkout (it uses demo/config)."""
    try:
        runtime = DemoRuntime.load(RUNTIME_FILE)
    except DemoError:
        return  # none ran here, or it stopped cleanly
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, runtime.ha_url, runtime.access_token)
        try:
            await api.get("/api/")
        except (aiohttp.ClientError, TimeoutError):
            return  # a demo that was killed left the file behind
    raise DemoError(f"a demo is already running at {runtime.ha_url}")


async def run_demo(ha_port: int | None = None) -> int:
    """Start everything, print where to look, run until stopped; the exit status."""
    await _refuse_second_demo()
    set_gateway_clock()
    sim = build_simulator()
    server = await start_simulator(sim)
    cloud = await start_cloud_simulators()
    process = HomeAssistantProcess(CONFIG_DIR)
    try:
        endpoints = DemoEndpoints(
            simulator_url=server.url,
            ha_port=pick_ha_port(ha_port),
            webhook_id=secrets.token_hex(),
            smslink=CloudEndpoint(url=cloud.smslink_server.url, webhook_id=secrets.token_hex()),
            plasgate=CloudEndpoint(url=cloud.plasgate_server.url, webhook_id=secrets.token_hex()),
            plasgate_smpp=cloud.plasgate_smpp,
        )
        say(f"Dinstar simulator ({sim.settings.ports} ports) on {server.url}")
        say(
            f"SMSLink simulator on {endpoints.smslink.url}, Plasgate on {endpoints.plasgate.url} "
            f"(SMPP on {endpoints.plasgate_smpp})"
        )
        account = build_config_dir(CONFIG_DIR, endpoints, sim.settings.sn)
        point_pushes_at(sim, endpoints.push_url)
        point_smslink_callbacks_at(
            cloud.smslink, endpoints.webhook_url(endpoints.smslink.webhook_id)
        )
        DemoRuntime(
            simulator_url=server.url,
            smslink_url=endpoints.smslink.url,
            plasgate_url=endpoints.plasgate.url,
            ha_url=endpoints.ha_url,
            access_token=account.access_token,
        ).save(RUNTIME_FILE)
        say(f"Starting Home Assistant with {CONFIG_DIR} ...")
        await process.start()
        async with aiohttp.ClientSession() as session:
            api = HomeAssistantApi(session, endpoints.ha_url, account.access_token)
            await wait_until_api_answers(api, process, _START_TIMEOUT)
            missing = await wait_for_entities(
                api, dashboard_entity_ids(gateway_title(sim.settings.sn)), _ENTITIES_TIMEOUT
            )
            problems = [f"not in Home Assistant: {', '.join(missing)}"] if missing else []
            problems += await _check_push(api, sim)
            problems += await cloud_problems(api, endpoints.smslink.url, _CLOUD_TIMEOUT)
        say(_banner(endpoints, problems))
        await _until_stopped(process)
        say("Stopping Home Assistant and the simulators ...")
    finally:
        with contextlib.suppress(asyncio.CancelledError):
            await process.stop()
        await cloud.stop()
        await server.stop()
        RUNTIME_FILE.unlink(missing_ok=True)
    return 0
