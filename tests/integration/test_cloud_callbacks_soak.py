"""The SMSLink and Plasgate callbacks soaked in 10,000 hostile requests each, real ones among them.

Real callbacks (delivery reports, and SMSLink's incoming SMS) arrive one to four times each, in
the query, a form or JSON, scattered among junk and callbacks with one bad field. A stall is one
callback holding the loop over 50 ms of its thread's CPU time (see LoopStallMeter for why not
wall-clock lateness).
"""

from collections.abc import Iterator
import logging
import random
from typing import Any

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.sms_gateway.accounts.callbacks import CLOUD_BODY_LIMIT
from custom_components.sms_gateway.const import EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED
from tests.conftest import RunningPlasgate, RunningSmsLink

from .cloud_setups import wait_until
from .hostile import WebClient, assert_loaded
from .setups import send_sms
from .soak import (
    SOAK_REQUESTS,
    UNICODE_DIGITS,
    HostileMix,
    LoopStallMeter,
    SoakRequest,
    SoakResult,
    accepted,
    assert_no_errors,
    bursts,
    lines,
    refused,
    soak,
)

REAL = 300
"""Real callbacks of each kind; each is sent one to four times."""
METHODS = ["GET", "POST", "POST", "PUT"]


class CloudMix(HostileMix):
    """Real callbacks among hostile ones, in a seeded order."""

    def __init__(self, rng: random.Random) -> None:
        """Callbacks are read from the query and the body: any method the webhook serves."""
        super().__init__(rng, CLOUD_BODY_LIMIT, METHODS)

    def requests(
        self, real: list[tuple[str, dict[str, Any]]], bad: list[str]
    ) -> Iterator[SoakRequest]:
        """Each real callback one to four times, `bad` steps, and junk up to SOAK_REQUESTS."""
        plan: list[tuple[str, dict[str, Any]] | str] = []
        for callback in real:
            plan += [callback] * self.rng.randint(1, 4)
        plan += bad
        plan += ["junk"] * (SOAK_REQUESTS - len(plan))
        self.rng.shuffle(plan)
        for step in plan:
            if isinstance(step, tuple):
                kind, fields = step
                yield accepted(kind, self.way(dict(fields)))
            elif step == "junk":
                yield self.junk()
            else:
                yield self.bad(step)

    def bad(self, step: str) -> SoakRequest:
        """Overridden per service: a callback that looks right but for one field."""
        raise NotImplementedError

    def not_a_number(self) -> Any:
        """What no numeric field of a callback may take."""
        return self.rng.choice(
            [
                self.rng.choice(UNICODE_DIGITS),
                self.digits(),
                self.rng.choice(["-1", "1e3", "1.5", "0x10", "NaN", "1_000", "1 2", "x", "+1"]),
                [1],
                {"a": 1},
                True,
                1.5,
            ]
        )

    def container(self) -> Any:
        """What no text field may take."""
        return self.rng.choice([[1], {"a": "b"}, True, False, 1.5, []])


class SmsLinkMix(CloudMix):
    """SMSLink: delivery reports and 2-Way SMS."""

    def bad(self, step: str) -> SoakRequest:
        """A report or an SMS right but for one field (the keys tell which one it is)."""
        rng = self.rng
        if step == "bad report":
            fields: dict[str, Any] = {
                "message_id": str(rng.randrange(10**9)),
                "status": rng.choice(["0", "1"]),
                "timestamp": "1740878151",
            }
            key = rng.choice(["message_id", "status", "timestamp", "message_count", "network_id"])
            fields[key] = self.container() if key == "network_id" else self.not_a_number()
        else:
            fields = {
                "sender": "+40712345678",
                "receiver": "1234",
                "message": self.text(20),
                "timestamp": "1740878151",
            }
            key = rng.choice(["timestamp", "network_id", "sender", "message"])
            fields[key] = self.container() if key in {"sender", "message"} else self.not_a_number()
        return refused(step, self.way(fields))


class PlasgateMix(CloudMix):
    """Plasgate: delivery reports, and batch callbacks for batches this entry never sent."""

    def bad(self, step: str) -> SoakRequest:
        """A report without its id or status, one whose id is no id, a batch that is not ours."""
        rng = self.rng
        report: dict[str, Any] = {"id": f"bad-{rng.randrange(10**6)}", "message_status": "DELIVRD"}
        match rng.choice(["no id", "no status", "long id", "id not text", "batch", "bad batch"]):
            case "no id":
                del report["id"]
            case "no status":
                del report["message_status"]
            case "long id":
                report["id"] = "a" * rng.randint(65, 5000)
            case "id not text":
                report["id"] = rng.choice([True, 1.5, [1], {"a": 1}, None])
            case "batch":
                report = {"batchId": f"batch-{rng.randrange(10**6)}", "status": "1"}
            case _:
                report = {"batchId": "batch-1", "status": self.not_a_number()}
        return refused(step, self.way(report))


def _delivered(events: list[Any]) -> list[tuple[str, str]]:
    return sorted((event.data["message_id"], event.data["status"]) for event in events)


def _reported(
    real: list[tuple[str, dict[str, Any]]], id_key: str, status_key: str, success: str
) -> list[tuple[str, str]]:
    """What the real reports among the requests must fire, each once, sorted as _delivered."""
    return sorted(
        (fields[id_key], "delivered" if fields[status_key] == success else "failed")
        for kind, fields in real
        if kind == "report"
    )


async def _soak(
    hass: HomeAssistant,
    web_client: WebClient,
    account: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    requests: Iterator[SoakRequest],
    ack: str,
) -> SoakResult:
    """Post every request to the account's webhook, checking each answer's body: `ack` for a
    200, else nothing. Then what every soak must hold: no stall, no error, still loaded."""

    def answer(item: SoakRequest, status: int, text: str) -> None:
        assert text == (ack if status == 200 else ""), (item.kind, status, text)

    webhook_id = account.data[CONF_WEBHOOK_ID]
    with LoopStallMeter().watching() as meter:
        result = await soak(web_client, f"/api/webhook/{webhook_id}", requests, answer=answer)
    await hass.async_block_till_done(wait_background_tasks=True)

    meter.assert_no_stall(SOAK_REQUESTS)
    assert_no_errors(caplog)
    assert_loaded(account)
    return result


async def test_10000_hostile_and_repeated_smslink_callbacks(
    hass: HomeAssistant,
    smslink_account: MockConfigEntry,
    smslink_simulator: RunningSmsLink,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No 5xx, no error, each report and SMS fired once, no stall, one log line per burst."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    # Reports are read for the account's own sends: send first, the simulator's reports held.
    smslink_simulator.sim.faults["dlr_delay_s"] = 3600
    sent = await send_sms(hass, smslink_account, [f"0722{index:06d}" for index in range(REAL)])
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    real = [
        (
            "report",
            {
                "message_id": sent[index]["message_id"],
                "status": "10"[index % 2],
                "timestamp": "1740878151",
            },
        )
        for index in range(REAL)
    ] + [
        (
            "sms",
            {
                "sender": f"+4071{index:07d}",
                "receiver": "1234",
                "message": f"Soak {index}",
                "timestamp": str(1_740_878_151 + index),
            },
        )
        for index in range(REAL)
    ]
    mix = SmsLinkMix(random.Random(20261205))  # noqa: S311 - a seed, not a secret
    requests = mix.requests(real, ["bad report"] * 800 + ["bad sms"] * 800)

    result = await _soak(hass, web_client, smslink_account, caplog, requests, ack="")

    assert _delivered(reports) == _reported(real, "message_id", "status", "1")
    assert sorted((event.data["sender"], event.data["text"]) for event in received) == sorted(
        (fields["sender"], fields["message"]) for kind, fields in real if kind == "sms"
    )
    assert set(result.statuses) >= {"report", "sms", "bad report", "bad sms", "oversize", "nested"}
    assert set(result.statuses["oversize"]) == {413}
    assert 1 <= lines(caplog, "Refused an SMSLink callback") <= bursts(result)


async def test_10000_hostile_and_repeated_plasgate_callbacks(
    hass: HomeAssistant,
    plasgate_account: MockConfigEntry,
    plasgate_simulator: RunningPlasgate,
    web_client: WebClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No 5xx, no error, each report fired once and acknowledged, no stall, few log lines."""
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    # Reports are read for the account's own sends: send in batches, whose success callbacks
    # name each message; the simulator's own reports are held.
    sim = plasgate_simulator.sim
    sim.switches["dlr_delay_s"] = 3600
    await send_sms(hass, plasgate_account, [f"8551200{index:04d}" for index in range(REAL)])
    await wait_until(
        lambda: sum(
            call["kind"] == "batch" and call["acknowledged"] for call in sim.callbacks.history
        )
        == REAL
    )
    reports = async_capture_events(hass, EVENT_DELIVERY_REPORT)
    real = [
        (
            "report",
            {
                "id": sim.api.messages[index].id,
                "message_status": ["DELIVRD", "UNDELIV"][index % 2],
                "level": "2",
            },
        )
        for index in range(REAL)
    ] + [
        ("odd report", {"id": f"odd-{index}", "message_status": "SOMETHING", "err": "²"})
        for index in range(REAL)
    ]
    mix = PlasgateMix(random.Random(20261206))  # noqa: S311 - a seed, not a secret
    requests = mix.requests(real, ["bad report"] * 1600)

    result = await _soak(hass, web_client, plasgate_account, caplog, requests, ack="ACK/Jasmin")

    assert _delivered(reports) == _reported(real, "id", "message_status", "DELIVRD")
    assert set(result.statuses) >= {"report", "odd report", "bad report", "oversize", "nested"}
    assert set(result.statuses["oversize"]) == {413}
    assert 1 <= lines(caplog, "Refused a Plasgate callback") <= bursts(result)
