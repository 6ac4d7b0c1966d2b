"""Plasgate SMPP simulator: throttles, the fault switches, TLS and stopping (raw socket)."""

import asyncio
import ssl
import struct

import httpx
import pytest

from simulators.plasgate.faults import validate_switch
from simulators.plasgate.settings import PlasgateSettings
from simulators.plasgate.simulator import PlasgateSimulator
from simulators.tls import self_signed_server_context
from tests.simulators.plasgate.conftest import (
    BIND_RECEIVER,
    DELIVER_SM,
    ENQUIRE_LINK,
    SUBMIT_SM,
    RawSmpp,
    submit_body,
)

THROTTLED = 0x58


async def _faults(running, **switches) -> httpx.Response:
    async with httpx.AsyncClient(base_url=running.url) as http:
        return await http.post("/_sim/faults", json=switches)


async def _pipeline(client: RawSmpp, count: int) -> list[tuple[int, int, int, bytes]]:
    """Send count submit_sm without waiting, then read count answers."""
    for _ in range(count):
        await client.send(SUBMIT_SM, submit_body())
    return [await client.read() for _ in range(count)]


class TestThroughput:
    @pytest.fixture
    def plasgate_settings(self) -> PlasgateSettings:
        return PlasgateSettings(smpp_throughput=2)

    async def test_over_the_rate_is_throttled_per_bind(self, smpp, plasgate_smpp_simulator):
        client = await smpp()
        await client.bind()
        answers = await _pipeline(client, 4)
        assert [status for _, status, _, _ in answers] == [0, 0, THROTTLED, THROTTLED]
        other = await smpp()
        await other.bind()
        assert (await other.submit())[1] == 0  # a second bind has its own window
        await asyncio.sleep(1.05)
        assert (await client.submit())[1] == 0
        snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
        assert (snapshot["throttled"], len(snapshot["submitted"])) == (2, 4)


async def test_throttle_next_answers_the_next_n(smpp, plasgate_smpp_simulator):
    assert (await _faults(plasgate_smpp_simulator, smpp_throttle_next=2)).status_code == 200
    client = await smpp()
    await client.bind()
    answers = await _pipeline(client, 3)
    assert [status for _, status, _, _ in answers] == [THROTTLED, THROTTLED, 0]
    assert plasgate_smpp_simulator.sim.switches["smpp_throttle_next"] == 0
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["throttled"] == 2


async def test_resp_delay_shows_the_clients_window(smpp, plasgate_smpp_simulator):
    await _faults(plasgate_smpp_simulator, smpp_resp_delay_s=0.2)
    client = await smpp()
    await client.bind()
    loop = asyncio.get_running_loop()
    started = loop.time()
    answers = await _pipeline(client, 3)
    assert loop.time() - started >= 0.19
    assert [status for _, status, _, _ in answers] == [0, 0, 0]
    assert sorted(seq for _, _, seq, _ in answers) == [2, 3, 4]
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["max_in_flight"] == 3


class TestWindow:
    @pytest.fixture
    def plasgate_settings(self) -> PlasgateSettings:
        return PlasgateSettings(smpp_window=2)

    async def test_over_the_window_is_throttled(self, smpp, plasgate_smpp_simulator):
        await _faults(plasgate_smpp_simulator, smpp_resp_delay_s=0.2)
        client = await smpp()
        await client.bind()
        answers = await _pipeline(client, 3)
        by_seq = {seq: status for _, status, seq, _ in answers}
        assert by_seq == {2: 0, 3: 0, 4: THROTTLED}
        snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
        assert (snapshot["max_in_flight"], snapshot["throttled"]) == (2, 1)


async def test_drop_binds_closes_every_bound_session_and_resets(smpp, plasgate_smpp_simulator):
    clients = [await smpp(), await smpp()]
    for client in clients:
        await client.bind()
    unbound = await smpp()
    response = await _faults(plasgate_smpp_simulator, smpp_drop_binds=True)
    assert response.json()["smpp_drop_binds"] is False
    for client in clients:
        assert await client.closed_by_server()
    assert (await unbound.request(ENQUIRE_LINK))[1] == 0
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["binds"] == []


async def test_refuse_binds(smpp, plasgate_smpp_simulator):
    await _faults(plasgate_smpp_simulator, smpp_refuse_binds=True)
    client = await smpp()
    assert (await client.bind())[1] == 0x0D
    assert await client.closed_by_server()


async def test_silent_reads_but_never_answers_nor_delivers(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    await _faults(plasgate_smpp_simulator, smpp_silent=True)
    await client.send(ENQUIRE_LINK)
    await client.send(SUBMIT_SM, submit_body())
    await plasgate_smpp_simulator.sim.smpp.deliver("85512345678", "SMS Info", "held")
    assert await client.silent_for(0.3)
    snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
    assert (snapshot["counts"]["enquire_link"], snapshot["counts"]["submit_sm"]) == (1, 1)
    assert snapshot["submitted"] == []
    assert snapshot["mo"][0]["state"] == "pending"
    await _faults(plasgate_smpp_simulator, smpp_silent=False)
    assert (await client.request(ENQUIRE_LINK))[:2] == (0x80000015, 0)


async def test_half_open_keeps_the_socket_but_goes_quiet(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    await _faults(plasgate_smpp_simulator, smpp_half_open=True)
    await client.send(ENQUIRE_LINK)
    assert await client.silent_for(0.3)  # neither an answer nor a close
    await _faults(plasgate_smpp_simulator, smpp_half_open=False)
    assert await client.silent_for(0.2)  # that session stays dead
    assert "enquire_link" not in plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    fresh = await smpp()
    assert (await fresh.bind())[1] == 0
    loop = asyncio.get_running_loop()
    started = loop.time()
    await plasgate_smpp_simulator.sim.smpp.stop()
    assert loop.time() - started < 1
    assert await client.closed_by_server()


async def test_drop_after_submit_records_then_closes(smpp, plasgate_smpp_simulator):
    await _faults(plasgate_smpp_simulator, smpp_drop_after_submit=1)
    client = await smpp()
    await client.bind()
    await client.send(SUBMIT_SM, submit_body(registered_delivery=1))
    assert await client.closed_by_server()
    assert plasgate_smpp_simulator.sim.switches["smpp_drop_after_submit"] == 0
    [message] = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert message["to"] == "85512345678"
    receiver = await smpp()
    await receiver.bind(BIND_RECEIVER)  # the receipt of what went out still comes
    command_id, _, _, body = await receiver.read()
    assert command_id == DELIVER_SM
    assert message["message_id"].encode() in body
    again = await smpp()
    await again.bind()
    assert (await again.submit())[1] == 0


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("length", lambda head, rest: struct.unpack(">I", head[:4])[0] == 8 and rest == b""),
        ("command", lambda head, rest: head[4:8] == b"\x00\x00\x09\x99" and rest == b""),
        (
            "deliver_body",
            lambda head, rest: head[4:8] == b"\x00\x00\x00\x05" and b"\x00" not in rest[3:],
        ),
    ],
)
async def test_malformed_writes_one_pdu_to_every_bound_session(
    smpp, plasgate_smpp_simulator, kind, expected
):
    clients = [await smpp(), await smpp()]
    for client in clients:
        await client.bind()
    unbound = await smpp()
    response = await _faults(plasgate_smpp_simulator, smpp_malformed=kind)
    assert response.json()["smpp_malformed"] == ""
    for client in clients:
        head = await asyncio.wait_for(client.reader.readexactly(16), 2)
        length = struct.unpack(">I", head[:4])[0]
        rest = await client.reader.readexactly(max(length - 16, 0))
        assert expected(head, rest)
        assert await client.silent_for(0.1)
    assert await unbound.silent_for(0.1)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("smpp_malformed", "garbage"),
        ("smpp_dlr_stat", "DELIVERED"),
        ("smpp_throttle_next", -1),
        ("smpp_resp_delay_s", True),
        ("smpp_silent", 1),
    ],
)
def test_bad_smpp_switch_values_are_refused(name, value):
    with pytest.raises(ValueError, match=name):
        validate_switch(name, value)


async def test_tls_with_the_self_signed_context(socket_enabled):
    sim = PlasgateSimulator()
    host, port = await sim.smpp.start("127.0.0.1", 0, self_signed_server_context())
    try:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        reader, writer = await asyncio.open_connection(host, port, ssl=context)
        client = RawSmpp(reader, writer)
        assert (await client.bind())[:2] == (0x80000009, 0)
        assert (await client.submit())[1] == 0
        plain_reader, plain_writer = await asyncio.open_connection(host, port)
        plain = RawSmpp(plain_reader, plain_writer)
        await plain.send(ENQUIRE_LINK)
        assert await plain.closed_by_server()  # no TLS, no SMPP
        writer.close()
    finally:
        await sim.smpp.stop()
    assert sim.snapshot()["smpp"]["submitted"][0]["text"] == "hello"


async def test_stop_does_not_wait_for_a_client_that_never_speaks(socket_enabled):
    sim = PlasgateSimulator()
    host, port = await sim.smpp.start()
    _, writer = await asyncio.open_connection(host, port)
    try:
        await asyncio.sleep(0.05)
        await asyncio.wait_for(sim.smpp.stop(), 3)
    finally:
        writer.close()


async def test_reset_clears_what_smpp_recorded(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    await client.submit()
    async with httpx.AsyncClient(base_url=plasgate_smpp_simulator.url) as http:
        assert (await http.post("/_sim/reset")).status_code == 200
        smpp_state = (await http.get("/_sim/state")).json()["smpp"]
    assert (smpp_state["submitted"], smpp_state["counts"]) == ([], {})
    assert len(smpp_state["binds"]) == 1
