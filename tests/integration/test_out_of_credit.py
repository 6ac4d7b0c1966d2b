"""An SMSLink account with no SMS left raises a repair; credit back clears it."""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.accounts.credit_watch import out_of_credit_issue_id
from custom_components.sms_gateway.accounts.runtime import AccountData
from custom_components.sms_gateway.const import DOMAIN
from tests.conftest import RunningSmsLink


async def set_credit(hass: HomeAssistant, sim: RunningSmsLink, **credit: int) -> None:
    session = async_get_clientsession(hass)
    async with session.post(f"{sim.url}/_sim/credit", json=credit) as response:
        assert response.status == 200, await response.text()


async def read_balance(entry: MockConfigEntry) -> None:
    runtime: AccountData = entry.runtime_data
    assert runtime.balance is not None
    await runtime.balance.async_refresh()


def issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, out_of_credit_issue_id(entry.entry_id))


async def test_no_sms_left_raises_the_repair_and_credit_back_clears_it(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    assert issue(hass, smslink_account) is None

    await set_credit(hass, smslink_simulator, national=0, international=0)
    await read_balance(smslink_account)

    found = issue(hass, smslink_account)
    assert found is not None
    assert found.severity is ir.IssueSeverity.ERROR
    assert found.translation_placeholders == {"account": smslink_account.title}

    await set_credit(hass, smslink_simulator, international=3)
    await read_balance(smslink_account)
    assert issue(hass, smslink_account) is None


async def test_an_unread_balance_changes_nothing(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    await set_credit(hass, smslink_simulator, national=0, international=0)
    await read_balance(smslink_account)
    faults: dict[str, Any] = {"down": True}
    session = async_get_clientsession(hass)
    async with session.post(f"{smslink_simulator.url}/_sim/faults", json=faults) as response:
        assert response.status == 200, await response.text()

    await read_balance(smslink_account)

    assert issue(hass, smslink_account) is not None


async def test_removing_the_account_withdraws_the_repair(
    hass: HomeAssistant, smslink_account: MockConfigEntry, smslink_simulator: RunningSmsLink
) -> None:
    await set_credit(hass, smslink_simulator, national=0, international=0)
    await read_balance(smslink_account)

    await hass.config_entries.async_remove(smslink_account.entry_id)

    assert issue(hass, smslink_account) is None
