"""The SMPP link against the simulator's SMPP server: bind, submit, receipts, incoming SMS."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.sms_gateway.providers.errors import (
    AuthError,
    InvalidInputError,
    RejectedError,
)
from custom_components.sms_gateway.providers.plasgate import DeliveryState
from custom_components.sms_gateway.providers.plasgate.smpp import (
    IncomingMemory,
    LinkState,
    SmppLink,
    SmppSettings,
    check_login,
)
from tests.conftest import RunningPlasgate
from tests.integration.cloud_setups import set_faults, wait_until as until

from .smpp_setups import Listener, fast_settings, running_link

NUMBER = "85512345678"


async def test_binds_submits_and_hears_the_receipt(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        ids = await link.submit(NUMBER, "Hello from SMPP", sender="SMS Info", delivery_report=True)
        await until(lambda: len(heard.reports) == 1)
    submitted = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert [(m["to"], m["text"], m["sender"]) for m in submitted] == [
        (NUMBER, "Hello from SMPP", "SMS Info")
    ]
    assert ids == [submitted[0]["message_id"]]
    assert heard.reports[0].message_id == ids[0]
    assert heard.reports[0].state is DeliveryState.DELIVERED
    assert heard.states[:2] == [LinkState.CONNECTING, LinkState.BOUND]
    assert heard.states[-1] is LinkState.STOPPED


@pytest.mark.parametrize(
    ("text", "parts", "data_coding"),
    [
        ("€" * 81, 2, 0),  # GSM-7 extension characters cost two septets each
        ("Привет, мир! " * 12, 3, 8),  # UCS-2, 156 characters
        ("a" * 160, 1, 0),
        ("é" * 71, 1, 0),  # é is in the GSM alphabet
        ("😀" * 40, 2, 8),  # surrogate pairs are never cut
    ],
)
async def test_long_texts_go_in_parts_and_arrive_whole(
    plasgate_smpp_simulator: RunningPlasgate, text: str, parts: int, data_coding: int
) -> None:
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        ids = await link.submit(NUMBER, text, sender="SMS Info", delivery_report=True)
        await until(lambda: len(heard.reports) == parts)
    (submitted,) = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert submitted["text"] == text
    assert submitted["parts"] == parts
    assert submitted["data_coding"] == data_coding
    assert len(ids) == parts


async def test_no_report_asked_none_comes(plasgate_smpp_simulator: RunningPlasgate) -> None:
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await link.submit(NUMBER, "quiet", sender="SMS Info", delivery_report=False)
        await until(lambda: plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"] != [])
    assert heard.reports == []


async def test_an_incoming_sms_is_told_once(plasgate_smpp_simulator: RunningPlasgate) -> None:
    smpp = plasgate_smpp_simulator.sim.smpp
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await smpp.deliver("85598765432", "1234", "Salut ☺")
        await smpp.deliver("85598765432", "1234", "Ж" * 150)  # three UCS-2 parts
        await until(lambda: len(heard.received) == 2)
        await until(lambda: all(mo["state"] == "acked" for mo in smpp.snapshot()["mo"]))
    assert [(sms.source, sms.destination, sms.text) for sms in heard.received] == [
        ("+85598765432", "1234", "Salut ☺"),
        ("+85598765432", "1234", "Ж" * 150),
    ]
    assert heard.received[1].parts == 3
    assert link.memory.pending == {}


async def test_two_identical_sms_are_two_sms(plasgate_smpp_simulator: RunningPlasgate) -> None:
    """Only a redelivery the server may owe us is dropped, never a second SMS of the same text."""
    smpp = plasgate_smpp_simulator.sim.smpp
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await smpp.deliver("85598765432", "1234", "yes")
        await until(lambda: len(heard.received) == 1)
        await smpp.deliver("85598765432", "1234", "yes")
        await until(lambda: len(heard.received) == 2)


async def test_the_same_text_after_a_reconnect_is_a_new_sms(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    """An answer the server proved it read is not waited for again after the session ends."""
    smpp = plasgate_smpp_simulator.sim.smpp
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await smpp.deliver("85598765432", "1234", "yes")
        await until(lambda: len(heard.received) == 1)
        await until(lambda: smpp.snapshot()["counts"].get("enquire_link", 0) >= 1)
        await set_faults(plasgate_smpp_simulator, smpp_drop_binds=True)
        await until(lambda: heard.states.count(LinkState.BOUND) == 2)
        await smpp.deliver("85598765432", "1234", "yes")
        await until(lambda: len(heard.received) == 2)
    assert link.memory.expected == {}


async def test_a_lost_answer_brings_a_redelivery_that_fires_nothing(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    smpp = plasgate_smpp_simulator.sim.smpp
    await set_faults(plasgate_smpp_simulator, smpp_lose_deliver_resp=1)
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await smpp.deliver("85598765432", "1234", "only once")
        await until(lambda: [mo["state"] for mo in smpp.snapshot()["mo"]] == ["acked"])
        (mo,) = smpp.snapshot()["mo"]
    assert mo["attempts"] == 2  # the server did deliver it again
    assert [sms.text for sms in heard.received] == ["only once"]
    assert link.memory.expected == {}


async def test_the_memory_carries_a_redelivery_across_a_restart(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    smpp = plasgate_smpp_simulator.sim.smpp
    await set_faults(plasgate_smpp_simulator, smpp_lose_deliver_resp=1, smpp_refuse_binds=False)
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=True)
        await smpp.deliver("85598765432", "1234", "across a restart")
        await until(lambda: link.memory.expected != {})
    saved = link.memory.as_dict()
    assert [sms.text for sms in heard.received] == ["across a restart"]

    await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=False)
    memory = IncomingMemory.from_dict(saved)
    async with running_link(fast_settings(plasgate_smpp_simulator), memory) as (_, heard_after):
        await until(lambda: [mo["state"] for mo in smpp.snapshot()["mo"]] == ["acked"])
    assert heard_after.received == []


async def test_a_wrong_password_is_refused(plasgate_smpp_simulator: RunningPlasgate) -> None:
    settings = fast_settings(plasgate_smpp_simulator, password="wrong")
    with pytest.raises(AuthError):
        await check_login(settings)
    async with running_link(settings) as (link, heard):
        await until(lambda: link.state is LinkState.REFUSED)
    assert LinkState.BOUND not in heard.states


async def test_check_login_binds_and_unbinds(plasgate_smpp_simulator: RunningPlasgate) -> None:
    # The answer to the unbind is read: a login check does not wait out the response timeout.
    async with asyncio.timeout(0.9):
        await check_login(fast_settings(plasgate_smpp_simulator, response_timeout=1.0))
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert counts.get("bind_transceiver") == 1
    assert counts.get("unbind") == 1


async def test_an_sms_waiting_for_a_receiver_outlives_a_login_check(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    """A server writes what it holds to the first bind: a check must leave it for the link."""
    smpp = plasgate_smpp_simulator.sim.smpp
    await smpp.deliver("85598765432", "1234", "Held for the account")
    await check_login(fast_settings(plasgate_smpp_simulator))
    assert [mo["state"] for mo in smpp.snapshot()["mo"]] != ["acked"]
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, heard):
        await until(lambda: len(heard.received) == 1)
        await until(lambda: [mo["state"] for mo in smpp.snapshot()["mo"]] == ["acked"])
    assert [sms.text for sms in heard.received] == ["Held for the account"]


async def test_a_refused_destination_fails_and_is_not_resent(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    async with running_link(fast_settings(plasgate_smpp_simulator)) as (link, _):
        with pytest.raises(RejectedError, match="ESME_RINVSRCADR"):
            await link.submit(NUMBER, "hi", sender="Unknown", delivery_report=True)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]["submit_sm"] == 1


def test_the_documented_timings_are_the_defaults() -> None:
    """README: an enquire_link after 30 s of silence, 10 s for any answer, binds again after 1 s
    doubling to a minute, a send waits 30 s for a bind, window 10, 10 submit_sm a second."""
    settings = SmppSettings(host="smpp.example", system_id="demo", password="demo")
    assert settings.port == 2775
    assert settings.enquire_link_interval == 30.0
    assert settings.response_timeout == 10.0
    assert settings.reconnect_delays == (1.0, 60.0)
    assert settings.bind_wait == 30.0
    assert settings.redelivery_window == 600.0
    assert (settings.window, settings.throughput) == (10, 10.0)


@pytest.mark.parametrize(
    "login",
    [
        {"system_id": "", "password": "demo"},
        {"system_id": "s" * 16, "password": "demo"},
        {"system_id": "demo", "password": "p" * 9},
        {"system_id": "démo", "password": "demo"},
    ],
)
def test_a_login_smpp_cannot_carry_is_refused_before_anything_is_sent(
    login: dict[str, str],
) -> None:
    with pytest.raises(InvalidInputError):
        SmppSettings(host="smpp.example", **login)


async def test_a_bind_waits_for_what_it_is_owed_only_a_while(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    """An answer the server did read (but never proved) is not held against a later SMS."""
    memory = IncomingMemory()
    memory.expect(["owed-by-an-old-session"])
    settings = fast_settings(plasgate_smpp_simulator, redelivery_window=0.2)
    async with running_link(settings, memory) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        assert memory.expected != {}
        await until(lambda: memory.expected == {})
    assert heard.memory_changes >= 1


async def test_a_bind_that_ends_early_keeps_waiting(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    memory = IncomingMemory()
    memory.expect(["owed"])
    async with running_link(fast_settings(plasgate_smpp_simulator), memory) as (link, heard):
        await until(lambda: link.state is LinkState.BOUND)
        await set_faults(plasgate_smpp_simulator, smpp_drop_binds=True)
        await until(lambda: heard.states.count(LinkState.BOUND) == 2)
    assert list(memory.expected) == ["owed"]


async def test_a_stop_during_the_bind_unbinds_and_serves_nothing(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    heard = Listener()
    link = SmppLink(fast_settings(plasgate_smpp_simulator), heard, IncomingMemory())
    stopping: list[asyncio.Task[None]] = []

    def stop_once_connecting(state: LinkState, /) -> None:
        heard.states.append(state)
        if state is LinkState.CONNECTING and not stopping:
            stopping.append(asyncio.create_task(link.stop()))

    heard.state_changed = stop_once_connecting  # type: ignore[method-assign]
    await asyncio.wait_for(link.run(), 5)
    await stopping[0]
    assert heard.states == [LinkState.CONNECTING, LinkState.STOPPED]
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert (counts["bind_transceiver"], counts["unbind"]) == (1, 1)


async def test_a_stop_ends_the_wait_before_the_next_bind(
    plasgate_smpp_simulator: RunningPlasgate,
) -> None:
    await set_faults(plasgate_smpp_simulator, smpp_refuse_binds=True)
    heard = Listener()
    settings = fast_settings(plasgate_smpp_simulator, reconnect_delays=(60.0, 600.0))
    link = SmppLink(settings, heard, IncomingMemory())
    running = asyncio.create_task(link.run())
    await until(lambda: link.state is LinkState.REFUSED)
    await link.stop()
    await asyncio.wait_for(running, 5)  # not the 300 s or more a refused login waits
    assert link.state is LinkState.STOPPED
