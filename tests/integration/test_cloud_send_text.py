"""One recipient or many, a cloud account delivers the same text, or refuses it in translation.

SMSLink sends one recipient through index.php and several in a BULK v3 package; Plasgate uses
/rest/send and /rest/batch-send. What the simulators recorded is compared with what was asked.
"""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from tests.conftest import RunningPlasgate, RunningSmsLink

AWKWARD = [
    pytest.param("\";\\' x=1;--", id="quotes-semicolons-backslash"),
    pytest.param("  two\nlines \n", id="padding-and-line-feeds"),
    pytest.param(
        "\u2028\u041f\u0440\u0438\u0432\u0435\u0442 你好 👍🏽 e\u0301\u2029",
        id="non-latin-and-separators",
    ),
]
SMSLINK_ONE = ["+40712345678"]
SMSLINK_MANY = ["+40712345678", "+40722222222"]


async def send(hass: HomeAssistant, entry: MockConfigEntry, numbers: list[str], text: str) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, "recipients": numbers, "message": text},
        blocking=True,
        return_response=True,
    )


@pytest.mark.parametrize("text", AWKWARD)
async def test_smslink_single_and_bulk_deliver_the_same_text(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    text: str,
) -> None:
    await send(hass, smslink_account, SMSLINK_ONE, text)
    await send(hass, smslink_account, SMSLINK_MANY, text)

    messages = smslink_simulator.sim.account.messages.values()
    assert [(message.via, message.text) for message in messages] == [
        ("http", text),
        ("bulk", text),
        ("bulk", text),
    ]


@pytest.mark.parametrize(
    ("text", "translation_key", "reason"),
    [
        pytest.param("one\r\ntwo", "invalid_input", "carriage return", id="crlf"),
        pytest.param("a\tb", "invalid_input", "tab", id="tab"),
        pytest.param("50%0A off", "invalid_input", "%0A or %3B", id="escape-lookalike"),
        pytest.param("a\x00b", "invalid_message", "U+0000", id="nul"),
    ],
)
@pytest.mark.parametrize("numbers", [SMSLINK_ONE, SMSLINK_MANY], ids=["single", "bulk"])
async def test_smslink_refuses_alike_on_both_paths(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    numbers: list[str],
    text: str,
    translation_key: str,
    reason: str,
) -> None:
    with pytest.raises(ServiceValidationError) as refused:
        await send(hass, smslink_account, numbers, text)

    assert refused.value.translation_key == translation_key
    assert reason in str(refused.value)
    assert not smslink_simulator.sim.account.messages


@pytest.mark.parametrize("text", [*AWKWARD, pytest.param("a\r\n\tb", id="crlf-tab")])
async def test_plasgate_send_and_batch_deliver_the_same_text(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    text: str,
) -> None:
    await send(hass, plasgate_account, ["+85512345678"], text)
    await send(hass, plasgate_account, ["+85512345678", "+85598765432"], text)

    messages = plasgate_simulator.sim.api.messages
    assert [(message.endpoint, message.content) for message in messages] == [
        ("/rest/send", text),
        ("/rest/batch-send", text),
        ("/rest/batch-send", text),
    ]
