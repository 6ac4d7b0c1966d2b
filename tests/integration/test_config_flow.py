"""The config flow against the Dinstar simulator: every error path recovers to a created entry.

Entry set-up is patched out in the flow tests (as Home Assistant's own flow tests do): they test
what the flow stores, not the integration. The options tests that need a running gateway use
`init_integration`, which sets it up for real against the simulator.
"""

from collections.abc import AsyncIterator
from datetime import timedelta
import re
import socket
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType, InvalidData, section
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.sms_gateway.config_flow import PROVIDER_STEPS
from custom_components.sms_gateway.const import (
    CONF_BALANCE,
    CONF_DEFAULT_PORTS,
    CONF_DEFAULT_RECIPIENTS,
    CONF_POLL_INTERVAL,
    CONF_PROVIDER,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    PROVIDER_DINSTAR,
)
from custom_components.sms_gateway.gateway.devices import port_identifier
from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.server import serve
from simulators.tls import self_signed_server_context
from tests.conftest import RunningDinstar

from .conftest import SERIAL, WEBHOOK_ID

GET_PORT_INFO = "custom_components.sms_gateway.providers.dinstar.DinstarClient.get_port_info"
OTHER_SERIAL = "da00-0030-1901-9999"
INTERNAL_URL = "http://192.168.1.10:8123"


@pytest.fixture
async def other_gateway(socket_enabled: None) -> AsyncIterator[str]:
    """A second simulated gateway with another serial, for the wrong-device paths."""
    sim = DinstarSimulator(DinstarSettings(sn=OTHER_SERIAL))
    server = await serve(sim.create_app())
    try:
        yield server.url
    finally:
        await server.stop()


@pytest.fixture
async def https_gateway(socket_enabled: None) -> AsyncIterator[int]:
    """The simulator over HTTPS with a self-signed certificate, as gateways ship; its port."""
    sim = DinstarSimulator()
    server = await serve(sim.create_app(), ssl_context=self_signed_server_context())
    try:
        yield server.port
    finally:
        await server.stop()


@pytest.fixture
def closed_url(socket_enabled: None) -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def set_faults(hass: HomeAssistant, gateway: RunningDinstar, **switches: Any) -> None:
    """Flip simulator switches through its control API."""
    session = async_get_clientsession(hass)
    async with session.post(f"{gateway.url}/_sim/faults", json=switches) as response:
        assert response.status == 200, await response.text()


def login(url: str, **changes: Any) -> dict[str, Any]:
    """The Dinstar form as a user fills it in for the simulator."""
    return {
        CONF_HOST: url,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: "admin",
        CONF_VERIFY_SSL: False,
        **changes,
    }


async def start_dinstar_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the flow and pick Dinstar from the menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == PROVIDER_STEPS
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "dinstar"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dinstar"
    assert result["errors"] == {}
    return result


async def finish_push_step(hass: HomeAssistant, result: ConfigFlowResult) -> ConfigFlowResult:
    """Acknowledge the push instructions; the entry is created."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] in {"push", "push_path"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    return result


def suggested_values(result: ConfigFlowResult) -> dict[str, Any]:
    """What a form shows pre-filled, by field."""
    schema = result["data_schema"]
    assert schema is not None
    return _suggested(schema)


def _suggested(schema: vol.Schema) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            shown[str(key)] = _suggested(value.schema)
        elif key.description:
            shown[str(key)] = key.description.get("suggested_value")
    return shown


def schema_options(result: ConfigFlowResult, field: str) -> list[dict[str, str]]:
    """The choices a select field offers."""
    schema = result["data_schema"]
    assert schema is not None
    for key, selector in schema.schema.items():
        if str(key) == field:
            return list(selector.config["options"])
    raise AssertionError(field)


# --- user flow ------------------------------------------------------------------------------


async def test_user_flow_creates_the_entry(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, mock_setup_entry: AsyncMock
) -> None:
    """The happy path shows the internal webhook URL, then stores the contract's data."""
    await async_process_ha_core_config(hass, {"internal_url": INTERNAL_URL})
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "push"
    assert result["last_step"] is True
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert placeholders["serial"] == SERIAL
    assert placeholders["port_count"] == "8"
    url = placeholders["webhook_url"]
    assert re.fullmatch(rf"{INTERNAL_URL}/api/webhook/[0-9a-f]{{64}}", url)

    result = await finish_push_step(hass, result)

    assert result["title"] == "Dinstar 2817"
    assert result["result"].unique_id == SERIAL
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_DINSTAR,
        CONF_HOST: dinstar_simulator.url,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: "admin",
        CONF_VERIFY_SSL: False,
        CONF_WEBHOOK_ID: url.rsplit("/", 1)[1],
    }
    assert len(mock_setup_entry.mock_calls) == 1


async def test_without_a_known_url_the_path_is_shown(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, mock_setup_entry: AsyncMock
) -> None:
    """Home Assistant knows no URL of its own: the webhook path and a hint are shown."""
    result = await start_dinstar_flow(hass)
    with patch("homeassistant.components.webhook.get_url", side_effect=NoURLAvailableError):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], login(dinstar_simulator.url)
        )

    assert result["step_id"] == "push_path"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    assert "webhook_url" not in placeholders
    path = placeholders["webhook_path"]
    assert re.fullmatch(r"/api/webhook/[0-9a-f]{64}", path)

    result = await finish_push_step(hass, result)
    assert result["data"][CONF_WEBHOOK_ID] == path.rsplit("/", 1)[1]


async def test_a_second_gateway_with_the_same_serial_ending_gets_its_whole_serial(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, mock_setup_entry: AsyncMock
) -> None:
    """Titles name devices and entity ids: two gateways never share one."""
    MockConfigEntry(
        domain=DOMAIN,
        unique_id="ab00-0000-0000-2817",
        title="Dinstar 2817",
        data={CONF_PROVIDER: PROVIDER_DINSTAR},
    ).add_to_hass(hass)
    result = await start_dinstar_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )

    result = await finish_push_step(hass, result)

    assert result["title"] == f"Dinstar {SERIAL}"


async def test_no_scheme_means_https(
    hass: HomeAssistant, https_gateway: int, mock_setup_entry: AsyncMock
) -> None:
    """ "127.0.0.1:port" reaches the gateway over HTTPS despite its self-signed certificate."""
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(f"127.0.0.1:{https_gateway}")
    )
    result = await finish_push_step(hass, result)

    assert result["data"][CONF_HOST] == f"https://127.0.0.1:{https_gateway}"
    assert result["data"][CONF_VERIFY_SSL] is False


@pytest.mark.parametrize("host", ["ftp://192.168.1.50", "http://", "   "])
async def test_invalid_host_recovers(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    mock_setup_entry: AsyncMock,
    host: str,
) -> None:
    """An address that cannot be a gateway's is refused on the host field, before any request."""
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(host))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    await finish_push_step(hass, result)


async def test_wrong_password_recovers(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, mock_setup_entry: AsyncMock
) -> None:
    """A refused login says so, and the typed values (not the password) are shown again."""
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url, **{CONF_PASSWORD: "wrong"})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    suggested = suggested_values(result)
    assert suggested[CONF_HOST] == dinstar_simulator.url
    assert CONF_PASSWORD not in suggested

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    result = await finish_push_step(hass, result)
    assert result["data"][CONF_PASSWORD] == "admin"


async def test_closed_port_recovers(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    closed_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Nothing listening is cannot_connect; the right address then creates the entry."""
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(closed_url))
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    result = await finish_push_step(hass, result)
    assert result["data"][CONF_HOST] == dinstar_simulator.url


@pytest.mark.parametrize(
    ("switches", "restore", "error"),
    [
        ({"api_enabled": False}, {"api_enabled": True}, "api_disabled"),
        ({"fail_500_paths": ["/api/get_port_info"]}, {"fail_500_paths": []}, "unknown"),
        (
            {"drop_connection_paths": ["/api/get_port_info"]},
            {"drop_connection_paths": []},
            "cannot_connect",
        ),
    ],
)
async def test_gateway_faults_recover(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    mock_setup_entry: AsyncMock,
    switches: dict[str, Any],
    restore: dict[str, Any],
    error: str,
) -> None:
    """The API switched off, a gateway error and a dropped connection each have their error."""
    result = await start_dinstar_flow(hass)
    await set_faults(hass, dinstar_simulator, **switches)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    await set_faults(hass, dinstar_simulator, **restore)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    await finish_push_step(hass, result)


async def test_unexpected_exception_is_unknown_and_logged(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug (not a gateway error) is unknown, logged with its traceback, never the password."""
    result = await start_dinstar_flow(hass)

    with patch(GET_PORT_INFO, side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], login(dinstar_simulator.url, **{CONF_PASSWORD: "s3cret-pw"})
        )
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while checking the gateway" in caplog.text
    assert "RuntimeError: boom" in caplog.text
    assert "s3cret-pw" not in caplog.text

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    await finish_push_step(hass, result)


async def test_answer_without_serial_is_unknown(
    hass: HomeAssistant, dinstar_simulator: RunningDinstar, mock_setup_entry: AsyncMock
) -> None:
    """Without a serial there is no unique id: refuse rather than create a nameless entry."""
    result = await start_dinstar_flow(hass)

    with patch(GET_PORT_INFO, return_value=[]):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], login(dinstar_simulator.url)
        )
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dinstar_simulator.url)
    )
    await finish_push_step(hass, result)


async def test_already_configured(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """The same gateway (same serial) cannot be added twice, however its address is typed."""
    dinstar_entry.add_to_hass(hass)
    result = await start_dinstar_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(f"{dinstar_simulator.url}/")
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# --- reauth ---------------------------------------------------------------------------------


async def test_reauth_success_keeps_the_webhook(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A new login is proven, stored, and the entry reloaded; host and webhook id stay."""
    dinstar_entry.add_to_hass(hass)
    as_created = dict(dinstar_entry.data)
    hass.config_entries.async_update_entry(
        dinstar_entry, data={**dinstar_entry.data, CONF_PASSWORD: "old", CONF_USERNAME: "old"}
    )
    result = await dinstar_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": dinstar_entry.title}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert dinstar_entry.data == as_created  # admin/admin again; host and webhook id kept
    assert len(mock_setup_entry.mock_calls) == 1  # the reload


@pytest.mark.parametrize(
    ("switches", "restore", "error"),
    [
        ({"api_enabled": False}, {"api_enabled": True}, "api_disabled"),
        (
            {"drop_connection_paths": ["/api/get_port_info"]},
            {"drop_connection_paths": []},
            "cannot_connect",
        ),
        ({"fail_500_paths": ["/api/get_port_info"]}, {"fail_500_paths": []}, "unknown"),
    ],
)
async def test_reauth_errors_recover(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    switches: dict[str, Any],
    restore: dict[str, Any],
    error: str,
) -> None:
    """Each gateway fault during reauth shows its error; fixed, the reauth succeeds."""
    dinstar_entry.add_to_hass(hass)
    result = await dinstar_entry.start_reauth_flow(hass)
    await set_faults(hass, dinstar_simulator, **switches)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}
    )
    assert result["errors"] == {"base": error}

    await set_faults(hass, dinstar_simulator, **restore)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reauth_wrong_device(
    hass: HomeAssistant,
    dinstar_entry: MockConfigEntry,
    other_gateway: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """The stored address now answers with another serial: the new login is not stored."""
    dinstar_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        dinstar_entry, data={**dinstar_entry.data, CONF_HOST: other_gateway, CONF_PASSWORD: "old"}
    )
    result = await dinstar_entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert dinstar_entry.data[CONF_PASSWORD] == "old"
    assert len(mock_setup_entry.mock_calls) == 0


# --- reconfigure ----------------------------------------------------------------------------


async def test_reconfigure_success_keeps_the_webhook(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    closed_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """A moved gateway is found at its new address (stored without the trailing slash)."""
    dinstar_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        dinstar_entry, data={**dinstar_entry.data, CONF_HOST: closed_url}
    )
    result = await dinstar_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    suggested = suggested_values(result)
    assert suggested[CONF_HOST] == closed_url
    assert CONF_PASSWORD not in suggested

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(f"{dinstar_simulator.url}/")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert dinstar_entry.data[CONF_HOST] == dinstar_simulator.url
    assert dinstar_entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    assert dinstar_entry.data[CONF_PROVIDER] == PROVIDER_DINSTAR
    assert len(mock_setup_entry.mock_calls) == 1


async def test_reconfigure_errors_recover(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    closed_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Bad address, closed port, wrong password, API off, then the right values."""
    dinstar_entry.add_to_hass(hass)
    result = await dinstar_entry.start_reconfigure_flow(hass)
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(flow_id, login("ftp://gateway"))
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    result = await hass.config_entries.flow.async_configure(flow_id, login(closed_url))
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, login(dinstar_simulator.url, **{CONF_PASSWORD: "wrong"})
    )
    assert result["errors"] == {"base": "invalid_auth"}
    await set_faults(hass, dinstar_simulator, api_enabled=False)
    result = await hass.config_entries.flow.async_configure(flow_id, login(dinstar_simulator.url))
    assert result["errors"] == {"base": "api_disabled"}
    with patch(GET_PORT_INFO, side_effect=ValueError("bug")):
        result = await hass.config_entries.flow.async_configure(
            flow_id, login(dinstar_simulator.url)
        )
    assert result["errors"] == {"base": "unknown"}

    await set_faults(hass, dinstar_simulator, api_enabled=True)
    result = await hass.config_entries.flow.async_configure(flow_id, login(dinstar_simulator.url))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_wrong_device(
    hass: HomeAssistant,
    dinstar_simulator: RunningDinstar,
    dinstar_entry: MockConfigEntry,
    other_gateway: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Another gateway's address is refused; the entry keeps pointing at its own."""
    dinstar_entry.add_to_hass(hass)
    result = await dinstar_entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(other_gateway))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert dinstar_entry.data[CONF_HOST] == dinstar_simulator.url
    assert len(mock_setup_entry.mock_calls) == 0


# --- options --------------------------------------------------------------------------------


async def open_options(hass: HomeAssistant, entry: MockConfigEntry, page: str) -> ConfigFlowResult:
    """Open the options menu and go to one page."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["settings", "balance", "assist"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": page}
    )


async def test_options_settings(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Poll interval, default ports (the gateway's, as "Port N") and normalised recipients."""
    result = await open_options(hass, init_integration, "settings")
    assert result["step_id"] == "settings"
    assert schema_options(result, CONF_DEFAULT_PORTS) == [
        {"value": str(port), "label": f"Port {port}"} for port in range(8)
    ]
    assert suggested_values(result) == {
        CONF_POLL_INTERVAL: DEFAULT_POLL_INTERVAL,
        CONF_DEFAULT_PORTS: [],
        CONF_DEFAULT_RECIPIENTS: [],
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_POLL_INTERVAL: 60,
            CONF_DEFAULT_PORTS: ["3", "1"],
            CONF_DEFAULT_RECIPIENTS: ["+40 712-345 678", "0712 345 679", "+40712345678"],
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_POLL_INTERVAL: 60,
        CONF_DEFAULT_PORTS: [1, 3],
        CONF_DEFAULT_RECIPIENTS: ["+40712345678", "0712345679"],
    }

    result = await open_options(hass, init_integration, "settings")
    assert suggested_values(result) == {
        CONF_POLL_INTERVAL: 60,
        CONF_DEFAULT_PORTS: ["1", "3"],
        CONF_DEFAULT_RECIPIENTS: ["+40712345678", "0712345679"],
    }


async def test_saved_options_reload_the_entry_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """New options reload the gateway (set-up reads them); the same options again do not."""
    settings = {CONF_POLL_INTERVAL: 45, CONF_DEFAULT_PORTS: ["2"], CONF_DEFAULT_RECIPIENTS: []}
    before = init_integration.runtime_data

    result = await open_options(hass, init_integration, "settings")
    await hass.config_entries.options.async_configure(result["flow_id"], settings)
    await hass.async_block_till_done()

    reloaded = init_integration.runtime_data
    assert reloaded is not before
    assert init_integration.state is ConfigEntryState.LOADED
    assert reloaded.ports.update_interval == timedelta(seconds=45)

    result = await open_options(hass, init_integration, "settings")
    result = await hass.config_entries.options.async_configure(result["flow_id"], settings)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.runtime_data is reloaded


async def test_options_settings_invalid_numbers_recover(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Bad numbers are named by position (never echoed); the kept options survive the fix."""
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_BALANCE: {"0": {"code": "*100#"}}}
    )
    result = await open_options(hass, init_integration, "settings")

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 30, CONF_DEFAULT_RECIPIENTS: ["0712345678", "call me", "12"]},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_DEFAULT_RECIPIENTS: "invalid_number"}
    assert result["description_placeholders"] == {"invalid": "#2, #3"}
    assert suggested_values(result)[CONF_DEFAULT_RECIPIENTS] == ["0712345678", "call me", "12"]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 30, CONF_DEFAULT_RECIPIENTS: ["0712345678"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_BALANCE: {"0": {"code": "*100#"}},
        CONF_POLL_INTERVAL: 30,
        CONF_DEFAULT_PORTS: [],
        CONF_DEFAULT_RECIPIENTS: ["0712345678"],
    }


@pytest.mark.parametrize(
    "user_input",
    [
        {CONF_POLL_INTERVAL: 9},
        {CONF_POLL_INTERVAL: 3601},
        {CONF_POLL_INTERVAL: 30, CONF_DEFAULT_PORTS: ["8"]},
    ],
)
async def test_options_settings_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, user_input: dict[str, Any]
) -> None:
    """The poll interval is 10 to 3600 s, and only the gateway's own ports can be chosen."""
    result = await open_options(hass, init_integration, "settings")

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(result["flow_id"], user_input)


async def test_options_balance(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Pick a port, set its code, pattern, unit and interval; other ports' settings stay."""
    hass.config_entries.async_update_entry(
        init_integration,
        options={CONF_POLL_INTERVAL: 45, CONF_BALANCE: {"0": {"code": "*133#"}}},
    )
    result = await open_options(hass, init_integration, "balance")
    assert result["step_id"] == "balance"
    assert schema_options(result, CONF_PORT) == [
        {"value": str(port), "label": f"Port {port}"} for port in range(8)
    ]

    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "2"})
    assert result["step_id"] == "balance_port"
    assert result["description_placeholders"] == {"port": "2"}
    assert suggested_values(result) == {  # no code yet: the check is off
        "pattern": DEFAULT_BALANCE_PATTERN,
        "interval": DEFAULT_BALANCE_INTERVAL,
    }

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"code": " *100# ", "pattern": r"Credit: (\d+[.,]\d+)", "unit": " RON ", "interval": 60},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_POLL_INTERVAL: 45,
        CONF_BALANCE: {
            "0": {"code": "*133#"},
            "2": {
                "code": "*100#",
                "pattern": r"Credit: (\d+[.,]\d+)",
                "unit": "RON",
                "interval": 60,
            },
        },
    }

    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "2"})
    assert suggested_values(result) == {
        "code": "*100#",
        "pattern": r"Credit: (\d+[.,]\d+)",
        "unit": "RON",
        "interval": 60,
    }


async def test_options_balance_threshold_is_kept_and_shown_again(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A low-balance threshold is stored as a number; left out, the port has none."""
    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "1"})

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"code": "*100#", "pattern": DEFAULT_BALANCE_PATTERN, "interval": 60, "threshold": 5},
    )

    assert init_integration.options[CONF_BALANCE]["1"]["threshold"] == 5.0
    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "1"})
    assert suggested_values(result)["threshold"] == 5.0


async def test_options_balance_empty_code_switches_off(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Clearing the code (the field left out) keeps the port's pattern but turns the check off."""
    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "0"})

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"pattern": r"\d+", "interval": 15}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_BALANCE] == {
        "0": {"code": "", "pattern": r"\d+", "unit": "", "interval": 15}
    }


@pytest.mark.parametrize(
    ("code", "pattern", "errors"),
    [
        ("100", DEFAULT_BALANCE_PATTERN, {"code": "invalid_ussd_code"}),
        ("*100*abc#", DEFAULT_BALANCE_PATTERN, {"code": "invalid_ussd_code"}),
        ("*" + "1" * 59 + "#", DEFAULT_BALANCE_PATTERN, {"code": "invalid_ussd_code"}),
        ("*100#", "(unclosed", {"pattern": "invalid_pattern"}),
        ("*100#", r"(\d+)\.(\d+)", {"pattern": "invalid_pattern"}),
        ("*100#", "", {"pattern": "invalid_pattern"}),
        ("#", "(", {"code": "invalid_ussd_code", "pattern": "invalid_pattern"}),
    ],
)
async def test_options_balance_errors_recover(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    code: str,
    pattern: str,
    errors: dict[str, str],
) -> None:
    """A code that is not USSD (or over 60 bytes) and a pattern that won't do are refused."""
    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "1"})

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"code": code, "pattern": pattern, "interval": 30}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert suggested_values(result)["code"] == code

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"code": "*" + "1" * 58 + "#", "pattern": "x", "interval": 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_BALANCE]["1"]["code"] == "*" + "1" * 58 + "#"


@pytest.mark.parametrize("interval", [14, 10081])
async def test_options_balance_interval_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, interval: int
) -> None:
    """Balance is asked for every 15 minutes at most and every week at least."""
    result = await open_options(hass, init_integration, "balance")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PORT: "1"})

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"code": "*100#", "pattern": "x", "interval": interval}
        )


async def test_options_of_a_stopped_gateway_use_its_port_devices(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry
) -> None:
    """Not running (e.g. unreachable): the ports are the port devices it left behind."""
    dinstar_entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    for port in (0, 1, 5):
        registry.async_get_or_create(
            config_entry_id=dinstar_entry.entry_id,
            identifiers={port_identifier(SERIAL, port)},
            name=f"Port {port}",
        )

    result = await open_options(hass, dinstar_entry, "balance")

    assert [option["value"] for option in schema_options(result, CONF_PORT)] == ["0", "1", "5"]


async def test_options_without_known_ports_abort(
    hass: HomeAssistant, dinstar_entry: MockConfigEntry
) -> None:
    """Never set up, no devices: there is nothing to choose from yet."""
    dinstar_entry.add_to_hass(hass)

    result = await hass.config_entries.options.async_init(dinstar_entry.entry_id)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_ports"
