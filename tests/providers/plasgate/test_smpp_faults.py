"""The SMPP link when the server misbehaves: nothing crashes, nothing is lost or sent twice."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.sms_gateway.providers.errors import (
    MAY_HAVE_SENT,
    ProviderUnreachableError,
)
from custom_components.sms_gateway.providers.plasgate.smpp import AnswerLostError, LinkState
from tests.conftest import RunningPlasgate
from tests.integration.cloud_setups import set_faults, wait_until as until

from .smpp_setups import fast_settings, running_link
from .test_smpp_link import NUMBER


def submitted(sim: RunningPlasgate) -> list[str]:
    return [message["text"] for message in sim.sim.smpp.snapshot()["submitted"]]


async def test_throttled_submits_go_once_the_server_takes_them(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_throttle_next=3)
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, _):
        ids = await link.submit(NUMBER, "after a wait", sender="SMS Info", delivery_report=False)
    snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
    assert snapshot["throttled"] == 3
    assert snapshot["counts"]["submit_sm"] == 4
    assert submitted(plasgate_smpp_simulator) == ["after a wait"]
    assert len(ids) == 1


async def test_the_throughput_keeps_under_the_servers_throttle(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    plasgate_smpp_simulator.sim.settings.smpp_throughput = 20.0
    settings = fast_settings(plasgate_smpp_simulator, throughput=20.0, window=50)
    async with running_link(settings) as (link, _):
        await asyncio.gather(
            *(
                link.submit(f"8551234{index:04d}", "bulk", sender="SMS Info", delivery_report=False)
                for index in range(30)
            )
        )
    snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
    assert snapshot["throttled"] == 0
    assert len(snapshot["submitted"]) == 30


async def test_the_window_bounds_the_submits_in_flight(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_resp_delay_s=0.1)
    settings = fast_settings(plasgate_smpp_simulator, window=3, throughput=1000.0)
    async with running_link(settings) as (link, _):
        await asyncio.gather(
            *(
                link.submit(
                    f"8551234{index:04d}", "windowed", sender="SMS Info", delivery_report=False
                )
                for index in range(10)
            )
        )
        assert link.in_flight == 0
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["max_in_flight"] == 3
    assert link.most_in_flight == 3


async def test_an_unanswered_submit_is_uncertain_and_never_resent(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_drop_after_submit=1)
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        with pytest.raises(AnswerLostError) as caught:
            await link.submit(NUMBER, "maybe", sender="SMS Info", delivery_report=False)
        assert isinstance(caught.value, MAY_HAVE_SENT)
        await until(lambda: heard.states.count(LinkState.BOUND) == 2)
        await link.submit(NUMBER, "next", sender="SMS Info", delivery_report=False)
    assert submitted(plasgate_smpp_simulator) == ["maybe", "next"]


async def test_a_server_that_never_answers_a_submit(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_silent=True)
        with pytest.raises(AnswerLostError):
            await link.submit(NUMBER, "into the void", sender="SMS Info", delivery_report=False)
        await until(lambda: LinkState.DISCONNECTED in heard.states)
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert counts["submit_sm"] == 1  # read by the server, never answered, never sent again


async def test_a_server_that_never_answers_the_bind(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_silent=True)
    settings = fast_settings(plasgate_smpp_simulator, response_timeout=0.2, bind_wait=0.5)
    async with running_link(settings) as (link, heard):
        with pytest.raises(ProviderUnreachableError, match="not bound"):
            await link.submit(NUMBER, "nothing went", sender="SMS Info", delivery_report=False)
        await until(lambda: heard.states.count(LinkState.CONNECTING) >= 2)
        assert "bind" in (link.last_error or "")
    assert LinkState.BOUND not in heard.states
    assert submitted(plasgate_smpp_simulator) == []


async def test_a_half_open_connection_is_found_by_the_keep_alive(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    settings = fast_settings(
        plasgate_smpp_simulator, enquire_link_interval=0.2, response_timeout=0.3
    )
    async with running_link(settings) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_half_open=True)
        await until(lambda: LinkState.DISCONNECTED in heard.states)
        await set_faults(plasgate_smpp_simulator, smpp_half_open=False)
        await until(lambda: heard.states.count(LinkState.BOUND) == 2)
        await link.submit(NUMBER, "back", sender="SMS Info", delivery_report=False)
    assert submitted(plasgate_smpp_simulator) == ["back"]


async def test_a_dropped_bind_comes_back_and_loses_no_incoming_sms(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    smpp = plasgate_smpp_simulator.sim.smpp
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=True, smpp_drop_binds=True)
        await until(lambda: link.state is LinkState.REFUSED)
        await smpp.deliver("85598765432", "1234", "while you were away")
        await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=False)
        link.settings = fast_settings(plasgate_smpp_simulator, reconnect_delays=(0.05, 0.05))
        await until(lambda: len(heard.received) == 1)
    assert heard.received[0].text == "while you were away"


@pytest.mark.parametrize("kind", ["length", "command", "deliver_body"])
async def test_malformed_pdus_harm_nothing(
    plasgate_smpp_simulator: RunningPlasgate, kind: str
) -> None:
    smpp = plasgate_smpp_simulator.sim.smpp
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_malformed=kind)
        if kind == "length":  # the stream cannot be read past it: a new session
            await until(lambda: heard.states.count(LinkState.BOUND) == 2)
        await smpp.deliver("85598765432", "1234", "still here")
        await until(lambda: len(heard.received) == 1)
        await link.submit(NUMBER, "and sending", sender="SMS Info", delivery_report=False)
    assert [sms.text for sms in heard.received] == ["still here"]
    assert submitted(plasgate_smpp_simulator) == ["and sending"]
