"""The SMSLink and Plasgate config and options flows against their simulators.

Every error path recovers to a created entry. Entry set-up is patched out, as in the Dinstar flow
tests: these test what the flow stores. Home Assistant Cloud has no simulator, so its two calls
are mocked where a cloudhook is wanted.
"""

import hashlib
import logging
import re
import socket
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.accounts.login import SECTION_SERVICE
from custom_components.sms_gateway.config_flow import PROVIDER_STEPS
from custom_components.sms_gateway.const import (
    CONF_CLOUDHOOK_URL,
    CONF_CONNECTION_ID,
    CONF_COUNTRY,
    CONF_DEFAULT_RECIPIENTS,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SECRET,
    CONF_SENDER,
    CONF_TEST_MODE,
    DOMAIN,
    PROVIDER_PLASGATE,
    PROVIDER_SMSLINK,
)
from custom_components.sms_gateway.providers import plasgate, smslink
from tests.conftest import RunningPlasgate, RunningSmsLink
from tests.integration.cloud_setups import open_options

from .conftest import (
    PLASGATE_DEFAULT_RECIPIENT,
    PLASGATE_WEBHOOK_ID,
    SMSLINK_DEFAULT_RECIPIENT,
    SMSLINK_WEBHOOK_ID,
)
from .test_config_flow import suggested_values

EXTERNAL_URL = "https://ha.example.org"
CLOUDHOOK_URL = "https://hooks.nabu.casa/cloudhook-for-the-test"
SMSLINK_BALANCE = "custom_components.sms_gateway.providers.smslink.SmsLinkClient.balance"
PLASGATE_CERTIFICATES = (
    "custom_components.sms_gateway.providers.plasgate.PlasgateClient.certificates"
)
CLOUD = "homeassistant.components.cloud"
# Every fault switch a test here flips, back at its default.
HEALTHY: dict[str, dict[str, Any]] = {
    PROVIDER_SMSLINK: {"down": False, "http_5xx_rate": 0.0, "malformed": False},
    PROVIDER_PLASGATE: {"down": False, "http_5xx_rate": 0.0, "auth_error_status": 401},
}
SECRETS = {CONF_PASSWORD, CONF_PRIVATE_KEY, CONF_SECRET}
CHECKS = {PROVIDER_SMSLINK: SMSLINK_BALANCE, PROVIDER_PLASGATE: PLASGATE_CERTIFICATES}


def plasgate_id(private_key: str) -> str:
    """The contract's unique id of a Plasgate key, computed here independently of the flow."""
    return "plasgate_" + hashlib.sha256(private_key.encode()).hexdigest()[:16]


@pytest.fixture
def closed_url(socket_enabled: None) -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
async def external_url(hass: HomeAssistant) -> str:
    """Home Assistant reachable from the internet at a known address."""
    await async_process_ha_core_config(hass, {"external_url": EXTERNAL_URL})
    return EXTERNAL_URL


@pytest.fixture
def sim_urls(
    smslink_simulator: RunningSmsLink, plasgate_simulator: RunningPlasgate
) -> dict[str, str]:
    """Both simulators' addresses, by provider."""
    return {PROVIDER_SMSLINK: smslink_simulator.url, PROVIDER_PLASGATE: plasgate_simulator.url}


async def sim_post(hass: HomeAssistant, url: str, path: str, body: dict[str, Any]) -> None:
    """Steer a simulator through its control API (faults, credentials)."""
    session = async_get_clientsession(hass)
    async with session.post(f"{url}/_sim/{path}", json=body) as response:
        assert response.status == 200, await response.text()


def smslink_login(url: str, /, **changes: Any) -> dict[str, Any]:
    """The SMSLink form as a user fills it in for the simulator (its address in the section)."""
    return {
        CONF_CONNECTION_ID: "demo",
        CONF_PASSWORD: "demo",
        CONF_SENDER: "numeric",
        SECTION_SERVICE: {CONF_URL: url},
        **changes,
    }


def plasgate_login(url: str, /, **changes: Any) -> dict[str, Any]:
    """The Plasgate form as a user fills it in for the simulator (its address in the section)."""
    return {
        CONF_PRIVATE_KEY: "demo",
        CONF_SECRET: "demo",
        CONF_SENDER: "SMS Info",
        SECTION_SERVICE: {CONF_URL: url},
        **changes,
    }


LOGINS = {PROVIDER_SMSLINK: smslink_login, PROVIDER_PLASGATE: plasgate_login}


async def start_flow(hass: HomeAssistant, provider: str) -> ConfigFlowResult:
    """Open the flow and pick the provider."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == PROVIDER_STEPS
    assert {PROVIDER_SMSLINK, PROVIDER_PLASGATE} <= set(PROVIDER_STEPS)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": provider}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    assert result["errors"] == {}
    return result


async def submit(
    hass: HomeAssistant, result: ConfigFlowResult, values: dict[str, Any]
) -> ConfigFlowResult:
    """Submit a config flow form."""
    return await hass.config_entries.flow.async_configure(result["flow_id"], values)


async def finish(hass: HomeAssistant, result: ConfigFlowResult, step_id: str) -> ConfigFlowResult:
    """Acknowledge the callback step; the entry is created."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    assert result["last_step"] is True
    result = await submit(hass, result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    return result


def fields(result: ConfigFlowResult) -> list[str]:
    """The form's field names, in order."""
    schema = result["data_schema"]
    assert schema is not None
    return [str(key) for key in schema.schema]


# --- SMSLink: user flow ---------------------------------------------------------------------


async def test_smslink_creates_the_entry(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    external_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """The balance call proves the login (no SMS); the callback URL is shown, then stored."""
    result = await start_flow(hass, PROVIDER_SMSLINK)
    assert fields(result) == [CONF_CONNECTION_ID, CONF_PASSWORD, CONF_SENDER, SECTION_SERVICE]

    result = await submit(
        hass, result, smslink_login(f"{smslink_simulator.url}/", **{CONF_CONNECTION_ID: " demo "})
    )

    assert result["step_id"] == "smslink_callback"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    url = placeholders["callback_url"]
    assert re.fullmatch(rf"{external_url}/api/webhook/[0-9a-f]{{64}}", url)
    result = await finish(hass, result, "smslink_callback")
    assert result["title"] == "SMSLink"
    assert result["result"].unique_id == "demo"
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_SMSLINK,
        CONF_CONNECTION_ID: "demo",
        CONF_PASSWORD: "demo",
        CONF_URL: smslink_simulator.url,
        CONF_WEBHOOK_ID: url.rsplit("/", 1)[1],
    }
    assert result["options"] == {
        CONF_SENDER: "numeric",
        CONF_COUNTRY: "RO",
        CONF_DEFAULT_RECIPIENTS: [],
        CONF_TEST_MODE: False,
    }
    assert len(mock_setup_entry.mock_calls) == 1
    state = smslink_simulator.sim.snapshot()
    assert state["account"]["messages"] == []
    assert state["packages"] == []


async def test_smslink_country_follows_home_assistant(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    external_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Home Assistant's own country is the default country; an empty sender is the default."""
    hass.config.country = "MD"
    result = await start_flow(hass, PROVIDER_SMSLINK)

    result = await submit(hass, result, smslink_login(smslink_simulator.url, sender="  "))
    result = await finish(hass, result, "smslink_callback")

    assert result["options"][CONF_COUNTRY] == "MD"
    assert result["options"][CONF_SENDER] == "numeric"


async def test_smslink_service_address_is_not_stored(
    hass: HomeAssistant, external_url: str, mock_setup_entry: AsyncMock
) -> None:
    """The address waits folded away with the service's own; left alone, nothing is stored."""
    result = await start_flow(hass, PROVIDER_SMSLINK)
    address = result["data_schema"].schema[SECTION_SERVICE]  # type: ignore[union-attr]
    assert address.options == {"collapsed": True}

    with patch(SMSLINK_BALANCE) as balance:
        result = await submit(
            hass,
            result,
            {CONF_CONNECTION_ID: "demo", CONF_PASSWORD: "demo", SECTION_SERVICE: {}},
        )
    result = await finish(hass, result, "smslink_callback")

    assert balance.await_count == 1
    assert CONF_URL not in result["data"]
    assert result["options"][CONF_SENDER] == smslink.DEFAULT_SENDER


async def test_smslink_default_address_typed_is_not_stored(
    hass: HomeAssistant, external_url: str, mock_setup_entry: AsyncMock
) -> None:
    """The service's own address typed (or left) in the address field is not kept."""
    result = await start_flow(hass, PROVIDER_SMSLINK)

    with patch(SMSLINK_BALANCE):
        result = await submit(hass, result, smslink_login(f"{smslink.DEFAULT_BASE_URL}/"))
    result = await finish(hass, result, "smslink_callback")

    assert CONF_URL not in result["data"]


# --- Plasgate: user flow --------------------------------------------------------------------


async def test_plasgate_creates_the_entry(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    external_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """The certificate GET proves the key pair (no SMS); the key is hashed into the unique id."""
    result = await start_flow(hass, PROVIDER_PLASGATE)
    assert fields(result) == [CONF_PRIVATE_KEY, CONF_SECRET, CONF_SENDER, SECTION_SERVICE]

    result = await submit(hass, result, plasgate_login(plasgate_simulator.url))

    placeholders = result["description_placeholders"]
    assert placeholders is not None
    url = placeholders["callback_url"]
    assert re.fullmatch(rf"{external_url}/api/webhook/[0-9a-f]{{64}}", url)
    result = await finish(hass, result, "plasgate_callback")
    assert result["title"] == "Plasgate"
    assert result["result"].unique_id == plasgate_id("demo")
    assert result["data"] == {
        CONF_PROVIDER: PROVIDER_PLASGATE,
        CONF_PRIVATE_KEY: "demo",
        CONF_SECRET: "demo",
        CONF_URL: plasgate_simulator.url,
        CONF_WEBHOOK_ID: url.rsplit("/", 1)[1],
    }
    assert result["options"] == {
        CONF_SENDER: plasgate.DEFAULT_SENDER,
        CONF_COUNTRY: "KH",
        CONF_DEFAULT_RECIPIENTS: [],
    }
    assert plasgate_simulator.sim.snapshot()["messages"] == []


# --- both: errors and duplicates -----------------------------------------------------------

SMSLINK, PLASGATE = PROVIDER_SMSLINK, PROVIDER_PLASGATE


@pytest.mark.parametrize(
    ("provider", "changes", "faults", "errors"),
    [
        (SMSLINK, {CONF_PASSWORD: "wrong"}, {}, {"base": "smslink_invalid_auth"}),
        (SMSLINK, {CONF_CONNECTION_ID: "other"}, {}, {"base": "smslink_invalid_auth"}),
        (SMSLINK, {CONF_PASSWORD: ""}, {}, {"base": "smslink_invalid_auth"}),
        (SMSLINK, {CONF_SENDER: "bad;sender"}, {}, {CONF_SENDER: "smslink_invalid_sender"}),
        (
            SMSLINK,
            {CONF_SENDER: "a sender far too long"},
            {},
            {CONF_SENDER: "smslink_invalid_sender"},
        ),
        (
            SMSLINK,
            {SECTION_SERVICE: {CONF_URL: "ftp://smslink.example"}},
            {},
            {SECTION_SERVICE: "invalid_url"},
        ),
        (SMSLINK, {SECTION_SERVICE: {CONF_URL: "http://"}}, {}, {SECTION_SERVICE: "invalid_url"}),
        (
            SMSLINK,
            {SECTION_SERVICE: {CONF_URL: "http://[bad"}},
            {},
            {SECTION_SERVICE: "invalid_url"},
        ),
        (SMSLINK, {}, {"down": True}, {"base": "cloud_cannot_connect"}),
        (SMSLINK, {}, {"http_5xx_rate": 1.0}, {"base": "unknown"}),
        (SMSLINK, {}, {"malformed": True}, {"base": "unknown"}),
        (PLASGATE, {CONF_PRIVATE_KEY: "wrong"}, {}, {"base": "plasgate_invalid_auth"}),
        (PLASGATE, {CONF_SECRET: "wrong"}, {}, {"base": "plasgate_invalid_auth"}),
        (PLASGATE, {CONF_SECRET: ""}, {}, {"base": "plasgate_invalid_auth"}),
        (
            PLASGATE,
            {CONF_SECRET: "x"},
            {"auth_error_status": 403},
            {"base": "plasgate_invalid_auth"},
        ),
        (PLASGATE, {CONF_SENDER: "Sender of 12"}, {}, {CONF_SENDER: "plasgate_invalid_sender"}),
        (
            PLASGATE,
            {SECTION_SERVICE: {CONF_URL: "cloudapi.plasgate.com"}},
            {},
            {SECTION_SERVICE: "invalid_url"},
        ),
        (PLASGATE, {}, {"down": True}, {"base": "cloud_cannot_connect"}),
        (PLASGATE, {}, {"http_5xx_rate": 1.0}, {"base": "unknown"}),
    ],
)
async def test_errors_recover(
    hass: HomeAssistant,
    sim_urls: dict[str, str],
    external_url: str,
    mock_setup_entry: AsyncMock,
    provider: str,
    changes: dict[str, Any],
    faults: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Each refusal or fault has its error; no secret is shown again; then the entry is made."""
    url, login = sim_urls[provider], LOGINS[provider]
    result = await start_flow(hass, provider)
    await sim_post(hass, url, "faults", faults)

    result = await submit(hass, result, login(url, **changes))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    assert result["errors"] == errors
    assert suggested_values(result).keys() == set(login(url)) - SECRETS

    await sim_post(hass, url, "faults", HEALTHY[provider])
    result = await submit(hass, result, login(url))
    await finish(hass, result, f"{provider}_callback")


@pytest.mark.parametrize("provider", [SMSLINK, PLASGATE])
async def test_closed_port_and_bug_recover(
    hass: HomeAssistant,
    sim_urls: dict[str, str],
    closed_url: str,
    external_url: str,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
    provider: str,
) -> None:
    """Nothing listening is cannot_connect; a bug is unknown, with its traceback in the log."""
    url, login = sim_urls[provider], LOGINS[provider]
    result = await start_flow(hass, provider)

    result = await submit(hass, result, login(closed_url))
    assert result["errors"] == {"base": "cloud_cannot_connect"}
    with patch(CHECKS[provider], side_effect=ValueError("boom")):
        result = await submit(hass, result, login(url))
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while checking the" in caplog.text
    assert "ValueError: boom" in caplog.text

    result = await submit(hass, result, login(url))
    await finish(hass, result, f"{provider}_callback")


@pytest.mark.parametrize(
    ("provider", "changes"),
    [(SMSLINK, {CONF_PASSWORD: "not checked"}), (PLASGATE, {CONF_SECRET: "not checked"})],
)
async def test_already_configured(
    hass: HomeAssistant,
    sim_urls: dict[str, str],
    smslink_entry: MockConfigEntry,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    provider: str,
    changes: dict[str, Any],
) -> None:
    """The same connection ID or private key is the same account; the service is not asked."""
    smslink_entry.add_to_hass(hass)
    plasgate_entry.add_to_hass(hass)
    result = await start_flow(hass, provider)

    with patch(CHECKS[provider]) as check:
        result = await submit(hass, result, LOGINS[provider](sim_urls[provider], **changes))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    check.assert_not_called()


# --- callback URL: Home Assistant Cloud, or none --------------------------------------------


async def test_cloudhook_is_preferred_and_stored(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    external_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """With a Cloud subscription the cloudhook is shown and kept, even beside an external URL."""
    result = await start_flow(hass, PROVIDER_SMSLINK)
    with (
        patch(f"{CLOUD}.async_active_subscription", return_value=True),
        patch(f"{CLOUD}.async_get_or_create_cloudhook", return_value=CLOUDHOOK_URL) as create,
    ):
        result = await submit(hass, result, smslink_login(smslink_simulator.url))

    assert result["description_placeholders"] == {"callback_url": CLOUDHOOK_URL}
    result = await finish(hass, result, "smslink_callback")
    webhook_id = result["data"][CONF_WEBHOOK_ID]
    create.assert_awaited_once_with(hass, webhook_id)
    assert result["data"][CONF_CLOUDHOOK_URL] == CLOUDHOOK_URL


async def test_closed_flow_gives_its_cloudhook_back(
    hass: HomeAssistant, plasgate_simulator: RunningPlasgate
) -> None:
    """A cloudhook made for a flow that is then closed is deleted again."""
    result = await start_flow(hass, PROVIDER_PLASGATE)
    with (
        patch(f"{CLOUD}.async_active_subscription", return_value=True),
        patch(f"{CLOUD}.async_get_or_create_cloudhook", return_value=CLOUDHOOK_URL) as create,
        patch(f"{CLOUD}.async_delete_cloudhook") as delete,
    ):
        result = await submit(hass, result, plasgate_login(plasgate_simulator.url))
        assert result["step_id"] == "plasgate_callback"
        hass.config_entries.flow.async_abort(result["flow_id"])
        await hass.async_block_till_done()

    webhook_id = create.await_args.args[1]
    delete.assert_awaited_once_with(hass, webhook_id)
    assert hass.config_entries.async_entries(DOMAIN) == []


@pytest.mark.parametrize("provider", [SMSLINK, PLASGATE])
async def test_without_a_public_url_sending_still_works(
    hass: HomeAssistant, sim_urls: dict[str, str], mock_setup_entry: AsyncMock, provider: str
) -> None:
    """No external URL and no Cloud: a step says reports cannot arrive; the entry is created."""
    result = await start_flow(hass, provider)

    result = await submit(hass, result, LOGINS[provider](sim_urls[provider]))

    assert result["description_placeholders"] is None
    result = await finish(hass, result, f"{provider}_no_callback")
    assert CONF_CLOUDHOOK_URL not in result["data"]
    assert CONF_WEBHOOK_ID in result["data"]


# --- reauth ---------------------------------------------------------------------------------


async def test_smslink_reauth(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    smslink_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """Only the password is asked again; a wrong one is refused; the webhook id stays."""
    smslink_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        smslink_entry, data={**smslink_entry.data, CONF_PASSWORD: "old"}
    )
    result = await smslink_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_smslink"
    assert fields(result) == [CONF_PASSWORD]
    assert result["description_placeholders"] == {"name": "SMSLink"}

    result = await submit(hass, result, {CONF_PASSWORD: "wrong"})
    assert result["errors"] == {"base": "smslink_invalid_auth"}
    result = await submit(hass, result, {CONF_PASSWORD: "demo"})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert smslink_entry.data == {
        CONF_PROVIDER: PROVIDER_SMSLINK,
        CONF_CONNECTION_ID: "demo",
        CONF_PASSWORD: "demo",
        CONF_WEBHOOK_ID: SMSLINK_WEBHOOK_ID,
        CONF_URL: smslink_simulator.url,
    }
    assert smslink_entry.unique_id == "demo"
    assert len(mock_setup_entry.mock_calls) == 1  # the reload


async def test_plasgate_reauth_with_a_new_key(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A new key pair is proven; the unique id follows the new key; the webhook id stays."""
    plasgate_entry.add_to_hass(hass)
    await sim_post(
        hass, plasgate_simulator.url, "credentials", {"private_key": "new-key", "secret": "s2"}
    )
    result = await plasgate_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_plasgate"
    assert fields(result) == [CONF_PRIVATE_KEY, CONF_SECRET]

    result = await submit(hass, result, {CONF_PRIVATE_KEY: "new-key", CONF_SECRET: "wrong"})
    assert result["errors"] == {"base": "plasgate_invalid_auth"}
    await sim_post(hass, plasgate_simulator.url, "faults", {"down": True})
    result = await submit(hass, result, {CONF_PRIVATE_KEY: "new-key", CONF_SECRET: "s2"})
    assert result["errors"] == {"base": "cloud_cannot_connect"}
    await sim_post(hass, plasgate_simulator.url, "faults", {"down": False})
    result = await submit(hass, result, {CONF_PRIVATE_KEY: "new-key", CONF_SECRET: "s2"})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert plasgate_entry.unique_id == plasgate_id("new-key")
    assert plasgate_entry.data[CONF_PRIVATE_KEY] == "new-key"
    assert plasgate_entry.data[CONF_SECRET] == "s2"
    assert plasgate_entry.data[CONF_WEBHOOK_ID] == PLASGATE_WEBHOOK_ID
    assert plasgate_entry.data[CONF_URL] == plasgate_simulator.url
    assert len(mock_setup_entry.mock_calls) == 1


async def test_plasgate_reauth_same_key_new_secret(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """The entry's own key is no collision: only the secret changes."""
    plasgate_entry.add_to_hass(hass)
    await sim_post(hass, plasgate_simulator.url, "credentials", {"secret": "s2"})
    result = await plasgate_entry.start_reauth_flow(hass)

    result = await submit(hass, result, {CONF_PRIVATE_KEY: "demo", CONF_SECRET: "s2"})

    assert result["reason"] == "reauth_successful"
    assert plasgate_entry.unique_id == plasgate_id("demo")
    assert plasgate_entry.data[CONF_SECRET] == "s2"


async def test_plasgate_reauth_with_another_entrys_key(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A key another entry already has aborts; neither entry changes."""
    plasgate_entry.add_to_hass(hass)
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Plasgate",
        unique_id=plasgate_id("other-key"),
        data={**plasgate_entry.data, CONF_PRIVATE_KEY: "other-key"},
    )
    other.add_to_hass(hass)
    result = await plasgate_entry.start_reauth_flow(hass)

    result = await submit(hass, result, {CONF_PRIVATE_KEY: "other-key", CONF_SECRET: "demo"})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert plasgate_entry.unique_id == plasgate_id("demo")
    assert plasgate_entry.data[CONF_PRIVATE_KEY] == "demo"
    assert len(mock_setup_entry.mock_calls) == 0


# --- reconfigure ----------------------------------------------------------------------------


async def test_smslink_reconfigure(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    smslink_entry: MockConfigEntry,
    closed_url: str,
    mock_setup_entry: AsyncMock,
) -> None:
    """Password, sender and address change; options and webhook (and cloudhook) stay."""
    smslink_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        smslink_entry,
        data={**smslink_entry.data, CONF_URL: closed_url, CONF_CLOUDHOOK_URL: CLOUDHOOK_URL},
        options={**smslink_entry.options, CONF_DEFAULT_RECIPIENTS: ["0712345678"]},
    )
    result = await smslink_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_smslink"
    assert suggested_values(result) == {
        CONF_CONNECTION_ID: "demo",
        CONF_SENDER: "numeric",
        SECTION_SERVICE: {CONF_URL: closed_url},
    }

    result = await submit(hass, result, smslink_login(closed_url))
    assert result["errors"] == {"base": "cloud_cannot_connect"}
    result = await submit(hass, result, smslink_login(smslink_simulator.url, sender="bad;"))
    assert result["errors"] == {CONF_SENDER: "smslink_invalid_sender"}
    assert suggested_values(result)[CONF_SENDER] == "bad;"
    result = await submit(
        hass, result, smslink_login(f"{smslink_simulator.url}/", sender="SMSGateway")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert smslink_entry.data == {
        CONF_PROVIDER: PROVIDER_SMSLINK,
        CONF_CONNECTION_ID: "demo",
        CONF_PASSWORD: "demo",
        CONF_WEBHOOK_ID: SMSLINK_WEBHOOK_ID,
        CONF_CLOUDHOOK_URL: CLOUDHOOK_URL,
        CONF_URL: smslink_simulator.url,
    }
    assert smslink_entry.options == {
        CONF_SENDER: "SMSGateway",
        CONF_COUNTRY: "RO",
        CONF_DEFAULT_RECIPIENTS: ["0712345678"],
        CONF_TEST_MODE: False,
    }
    assert len(mock_setup_entry.mock_calls) == 1


async def test_smslink_reconfigure_keeps_the_address_it_shows(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    smslink_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """The folded section shows the entry's address; submitted as shown, the entry keeps it."""
    smslink_entry.add_to_hass(hass)
    result = await smslink_entry.start_reconfigure_flow(hass)
    assert fields(result) == [CONF_CONNECTION_ID, CONF_PASSWORD, CONF_SENDER, SECTION_SERVICE]

    result = await submit(hass, result, {**suggested_values(result), CONF_PASSWORD: "demo"})

    assert result["reason"] == "reconfigure_successful"
    assert smslink_entry.data[CONF_URL] == smslink_simulator.url


async def test_smslink_reconfigure_wrong_account(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    smslink_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """Another connection ID is another account: abort, nothing stored, nothing asked."""
    smslink_entry.add_to_hass(hass)
    result = await smslink_entry.start_reconfigure_flow(hass)

    result = await submit(
        hass, result, smslink_login(smslink_simulator.url, **{CONF_CONNECTION_ID: "other"})
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert smslink_entry.data[CONF_CONNECTION_ID] == "demo"
    assert smslink_simulator.sim.snapshot()["requests"]["counts"] == {}
    assert len(mock_setup_entry.mock_calls) == 0


async def test_plasgate_reconfigure_with_a_new_key(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """The key pair is never shown; a new one moves the unique id; the default URL is dropped."""
    plasgate_entry.add_to_hass(hass)
    result = await plasgate_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_plasgate"
    assert suggested_values(result) == {
        CONF_SENDER: "SMS Info",
        SECTION_SERVICE: {CONF_URL: plasgate_simulator.url},
    }

    await sim_post(
        hass, plasgate_simulator.url, "credentials", {"private_key": "new-key", "secret": "s2"}
    )
    result = await submit(hass, result, plasgate_login(plasgate_simulator.url))
    assert result["errors"] == {"base": "plasgate_invalid_auth"}
    result = await submit(
        hass,
        result,
        plasgate_login(plasgate_simulator.url, private_key="new-key", secret="s2", sender="Shop"),
    )

    assert result["reason"] == "reconfigure_successful"
    assert plasgate_entry.unique_id == plasgate_id("new-key")
    assert plasgate_entry.data == {
        CONF_PROVIDER: PROVIDER_PLASGATE,
        CONF_PRIVATE_KEY: "new-key",
        CONF_SECRET: "s2",
        CONF_WEBHOOK_ID: PLASGATE_WEBHOOK_ID,
        CONF_URL: plasgate_simulator.url,
    }
    assert plasgate_entry.options[CONF_SENDER] == "Shop"

    result = await plasgate_entry.start_reconfigure_flow(hass)
    with patch(PLASGATE_CERTIFICATES):
        result = await submit(
            hass,
            result,
            plasgate_login(plasgate.DEFAULT_BASE_URL, private_key="new-key", secret="s2"),
        )
    assert result["reason"] == "reconfigure_successful"
    assert CONF_URL not in plasgate_entry.data


async def test_plasgate_reconfigure_with_another_entrys_key(
    hass: HomeAssistant,
    plasgate_simulator: RunningPlasgate,
    plasgate_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """A key another entry has is refused before any request."""
    plasgate_entry.add_to_hass(hass)
    MockConfigEntry(domain=DOMAIN, unique_id=plasgate_id("other-key"), data={}).add_to_hass(hass)
    result = await plasgate_entry.start_reconfigure_flow(hass)

    result = await submit(
        hass, result, plasgate_login(plasgate.DEFAULT_BASE_URL, private_key="other-key", secret="x")
    )

    assert result["reason"] == "already_configured"
    assert plasgate_entry.data[CONF_PRIVATE_KEY] == "demo"
    assert plasgate_simulator.sim.snapshot()["messages"] == []


# --- options --------------------------------------------------------------------------------


async def test_smslink_options(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """Sender, country, recipients (checked as SMSLink takes them) and test mode."""
    smslink_entry.add_to_hass(hass)
    result = await open_options(hass, smslink_entry)
    assert fields(result) == [
        CONF_SENDER,
        CONF_COUNTRY,
        CONF_DEFAULT_RECIPIENTS,
        CONF_TEST_MODE,
        "assist",  # SMS to Assist, tested in test_assist_options.py
    ]
    assert suggested_values(result) == {
        CONF_SENDER: "numeric",
        CONF_COUNTRY: "RO",
        CONF_DEFAULT_RECIPIENTS: [SMSLINK_DEFAULT_RECIPIENT],
        CONF_TEST_MODE: False,
        "assist": {
            "enabled": False,
            "numbers": [],
            "agent_id": "conversation.home_assistant",
            "rate_limit": 10,
        },
    }
    flow_id = result["flow_id"]

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_SENDER: "no;pe", CONF_COUNTRY: "RO", CONF_DEFAULT_RECIPIENTS: ["1"]}
    )
    assert result["errors"] == {CONF_SENDER: "smslink_invalid_sender"}
    # #2 is a Romanian landline (SMSLink sends to mobiles), #3 no number, #4 is #1 again.
    typed = ["0712 345 678", "0212345678", "call me", "+40 712-345-678", "0040712345679"]
    result = await hass.config_entries.options.async_configure(
        flow_id,
        {CONF_SENDER: "SMSGateway", CONF_COUNTRY: "RO", CONF_DEFAULT_RECIPIENTS: typed},
    )
    assert result["errors"] == {CONF_DEFAULT_RECIPIENTS: "invalid_recipient"}
    assert result["description_placeholders"] == {"invalid": "#2, #3", "callback_url": "-"}
    assert suggested_values(result)[CONF_DEFAULT_RECIPIENTS] == typed

    del typed[1:3]
    result = await hass.config_entries.options.async_configure(
        flow_id,
        {
            CONF_SENDER: " SMSGateway ",
            CONF_COUNTRY: "RO",
            CONF_DEFAULT_RECIPIENTS: typed,
            CONF_TEST_MODE: True,
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert smslink_entry.options == {
        CONF_SENDER: "SMSGateway",
        CONF_COUNTRY: "RO",
        CONF_DEFAULT_RECIPIENTS: ["0712345678", "0040712345679"],  # +40 712… is the same
        CONF_TEST_MODE: True,
    }


async def test_smslink_options_national_numbers_of_another_country(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """A national number belongs to the chosen country; a cleared sender is the default."""
    smslink_entry.add_to_hass(hass)
    result = await open_options(hass, smslink_entry)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_COUNTRY: "MD", CONF_DEFAULT_RECIPIENTS: ["0212345678"]}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert smslink_entry.options == {
        CONF_SENDER: "numeric",
        CONF_COUNTRY: "MD",
        CONF_DEFAULT_RECIPIENTS: ["0212345678"],
        CONF_TEST_MODE: False,
    }


async def test_plasgate_options(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """No test mode; Plasgate numbers (digits with the country code) are checked."""
    plasgate_entry.add_to_hass(hass)
    result = await open_options(hass, plasgate_entry)
    assert fields(result) == [CONF_SENDER, CONF_COUNTRY, CONF_DEFAULT_RECIPIENTS]
    assert suggested_values(result)[CONF_DEFAULT_RECIPIENTS] == [PLASGATE_DEFAULT_RECIPIENT]
    flow_id = result["flow_id"]

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_SENDER: "Twelve chars", CONF_COUNTRY: "KH"}
    )
    assert result["errors"] == {CONF_SENDER: "plasgate_invalid_sender"}
    result = await hass.config_entries.options.async_configure(
        flow_id,
        {
            CONF_SENDER: "Shop",
            CONF_COUNTRY: "KH",
            CONF_DEFAULT_RECIPIENTS: ["012 345 678", "call me"],
        },
    )
    assert result["description_placeholders"] == {"invalid": "#2", "callback_url": "-"}
    result = await hass.config_entries.options.async_configure(
        flow_id,
        {
            CONF_SENDER: "Shop",
            CONF_COUNTRY: "KH",
            CONF_DEFAULT_RECIPIENTS: ["012 345 678", "+855 12 345 678", "+40712345678"],
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert plasgate_entry.options == {
        CONF_SENDER: "Shop",
        CONF_COUNTRY: "KH",
        CONF_DEFAULT_RECIPIENTS: ["012345678", "+40712345678"],
    }


async def test_options_country_must_have_a_calling_code(
    hass: HomeAssistant, plasgate_entry: MockConfigEntry
) -> None:
    """Antarctica has no calling code of its own: national numbers could not be read."""
    plasgate_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(plasgate_entry, options={})
    result = await open_options(hass, plasgate_entry)
    assert suggested_values(result)[CONF_COUNTRY] == "KH"

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(result["flow_id"], {CONF_COUNTRY: "AQ"})


# --- secrets stay secret --------------------------------------------------------------------

PRIVATE_KEY = "pk-7f3a9c1e5b2d4f6a8c0e"
PASSWORD = "pw-4e6a8c0e2b4d6f8a1c3e"


async def test_secrets_never_leak(
    hass: HomeAssistant,
    smslink_simulator: RunningSmsLink,
    plasgate_simulator: RunningPlasgate,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The Plasgate key and SMSLink password appear in no result, title, id or log line."""
    caplog.set_level(logging.DEBUG)
    results: list[Any] = []
    sms_url, pg_url = smslink_simulator.url, plasgate_simulator.url

    result = await start_flow(hass, PROVIDER_SMSLINK)
    for values, faults in [
        (smslink_login(sms_url, password=PASSWORD), {}),
        (smslink_login(sms_url, password=PASSWORD, sender="bad;"), {}),
        (smslink_login(sms_url, password=PASSWORD), {"down": True}),
        (smslink_login(sms_url, password=PASSWORD), {"down": False, "malformed": True}),
    ]:
        await sim_post(hass, sms_url, "faults", faults)
        results.append(result := await submit(hass, result, values))
    with patch(SMSLINK_BALANCE, side_effect=ValueError("boom")):
        login = smslink_login(sms_url, password=PASSWORD)
        results.append(result := await submit(hass, result, login))
    assert [result["errors"] for result in results] == [
        {"base": "smslink_invalid_auth"},
        {CONF_SENDER: "smslink_invalid_sender"},
        {"base": "cloud_cannot_connect"},
        {"base": "unknown"},
        {"base": "unknown"},
    ]

    await sim_post(hass, pg_url, "credentials", {"private_key": PRIVATE_KEY})
    result = await start_flow(hass, PROVIDER_PLASGATE)
    for values, faults in [
        (plasgate_login(pg_url, private_key=PRIVATE_KEY, secret="wrong"), {}),
        (plasgate_login(pg_url, private_key=PRIVATE_KEY, sender="Twelve chars"), {}),
        (plasgate_login(pg_url, private_key=PRIVATE_KEY), {"down": True}),
        (plasgate_login(pg_url, private_key=PRIVATE_KEY), {"down": False, "http_5xx_rate": 1.0}),
    ]:
        await sim_post(hass, pg_url, "faults", faults)
        results.append(result := await submit(hass, result, values))
    await sim_post(hass, pg_url, "faults", {"http_5xx_rate": 0.0})
    login = plasgate_login(pg_url, private_key=PRIVATE_KEY)
    with patch(PLASGATE_CERTIFICATES, side_effect=ValueError("boom")):
        results.append(result := await submit(hass, result, login))
    assert [result["errors"] for result in results[5:]] == [
        {"base": "plasgate_invalid_auth"},
        {CONF_SENDER: "plasgate_invalid_sender"},
        {"base": "cloud_cannot_connect"},
        {"base": "unknown"},
        {"base": "unknown"},
    ]
    results.append(result := await submit(hass, result, login))
    created = await submit(hass, result, {})
    assert created["type"] is FlowResultType.CREATE_ENTRY
    entry = created["result"]
    assert entry.data[CONF_PRIVATE_KEY] == PRIVATE_KEY

    shown = [str(result) for result in results]
    shown.append(
        str({key: value for key, value in created.items() if key not in {"data", "result"}})
    )
    shown += [entry.title, str(entry.unique_id), caplog.text]
    for text in shown:
        assert PRIVATE_KEY not in text
        assert PASSWORD not in text
    # The clients' request lines were captured, so the check above had something to check.
    assert "SMSLink POST index.php -> HTTP 200" in caplog.text
    assert "Plasgate GET /sms/public/certificates -> HTTP 401" in caplog.text


async def test_options_show_the_callback_url_as_it_stands_now(
    hass: HomeAssistant, smslink_entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """An external URL added after the flow: the options page is where its URL is found."""
    smslink_entry.add_to_hass(hass)
    await async_process_ha_core_config(hass, {"external_url": "https://home.example.org"})

    result = await open_options(hass, smslink_entry)

    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["callback_url"] == (
        f"https://home.example.org/api/webhook/{smslink_entry.data[CONF_WEBHOOK_ID]}"
    )
