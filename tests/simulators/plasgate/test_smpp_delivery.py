"""Plasgate SMPP simulator: delivery receipts and store-and-forward MO (raw socket)."""

import asyncio
import re

import httpx
import pytest

from tests.simulators.plasgate.conftest import (
    BIND_RECEIVER,
    BIND_TRANSMITTER,
    DELIVER_SM,
    DELIVER_SM_RESP,
    parse_deliver_sm,
)

RECEIPT = re.compile(
    r"^id:(?P<id>[0-9a-f-]{36}) sub:001 dlvrd:(?P<dlvrd>\d{3}) submit date:\d{10} "
    r"done date:\d{10} stat:(?P<stat>[A-Z]{7}) err:(?P<err>\d{3}) text:(?P<text>.*)$"
)


async def _receipt(client) -> tuple[int, dict]:
    command_id, status, seq, body = await client.read()
    assert (command_id, status) == (DELIVER_SM, 0)
    return seq, parse_deliver_sm(body)


@pytest.mark.parametrize(
    ("stat", "state", "dlvrd"),
    [("DELIVRD", 2, "001"), ("UNDELIV", 5, "000"), ("REJECTD", 8, "000"), ("EXPIRED", 3, "000")],
)
async def test_receipt_follows_the_resp(smpp, plasgate_smpp_simulator, stat, state, dlvrd):
    plasgate_smpp_simulator.sim.switches["smpp_dlr_stat"] = stat
    client = await smpp()
    await client.bind()
    text = "A receipt test with a long text"
    _, _, _, body = await client.submit(message=text.encode(), registered_delivery=1)
    message_id = body[:-1].decode()
    seq, receipt = await _receipt(client)
    await client.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    assert receipt["esm_class"] == 0x04
    assert (receipt["source"], receipt["destination"]) == ("85512345678", "SMS Info")
    match = RECEIPT.match(receipt["short_message"].decode())
    assert match is not None
    assert (match["id"], match["stat"], match["dlvrd"], match["text"]) == (
        message_id,
        stat,
        dlvrd,
        text[:20],
    )
    assert receipt["tlvs"] == {0x001E: message_id.encode() + b"\x00", 0x0427: bytes([state])}
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["receipts"] == [
        {"message_id": message_id, "stat": stat, "state": "sent"}
    ]


async def test_a_receipt_without_text_says_it_in_its_tlvs(smpp, plasgate_smpp_simulator):
    plasgate_smpp_simulator.sim.switches["smpp_dlr_text"] = False
    client = await smpp()
    await client.bind()
    _, _, _, body = await client.submit(message=b"No receipt text", registered_delivery=1)
    seq, receipt = await _receipt(client)
    await client.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    assert (receipt["esm_class"], receipt["short_message"]) == (0x04, b"")
    assert receipt["tlvs"] == {0x001E: body, 0x0427: bytes([2])}


async def test_no_receipt_unless_asked(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    assert (await client.submit(registered_delivery=0))[1] == 0
    assert (await client.submit(registered_delivery=2))[1] == 0  # failures only: none here
    assert await client.silent_for(0.3)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["receipts"] == []


async def test_failure_only_receipt_for_a_failure(smpp, plasgate_smpp_simulator):
    plasgate_smpp_simulator.sim.switches["smpp_dlr_stat"] = "UNDELIV"
    client = await smpp()
    await client.bind()
    await client.submit(registered_delivery=2)
    _, receipt = await _receipt(client)
    assert receipt["tlvs"][0x0427] == b"\x05"


async def test_one_receipt_per_part_of_a_long_message(smpp):
    client = await smpp()
    await client.bind()
    ids = []
    for number in (1, 2):
        udh = bytes([5, 0, 3, 7, 2, number])
        _, _, _, body = await client.submit(
            message=udh + b"x" * 100, esm_class=0x40, registered_delivery=1
        )
        ids.append(body[:-1].decode())
    receipts = [(await _receipt(client))[1] for _ in ids]
    assert sorted(r["tlvs"][0x001E][:-1].decode() for r in receipts) == sorted(ids)


async def test_receipt_waits_for_a_receiver_when_the_submitter_is_a_transmitter(
    smpp, plasgate_smpp_simulator
):
    transmitter = await smpp()
    await transmitter.bind(BIND_TRANSMITTER)
    _, _, _, body = await transmitter.submit(registered_delivery=1)
    await asyncio.sleep(0.2)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["receipts"][0]["state"] == "queued"
    receiver = await smpp()
    await receiver.bind(BIND_RECEIVER)
    _, receipt = await _receipt(receiver)
    assert receipt["tlvs"][0x001E] == body
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["receipts"][0]["state"] == "sent"


async def test_receipt_goes_to_another_receiver_when_the_submitter_left(
    smpp, plasgate_smpp_simulator
):
    sim = plasgate_smpp_simulator.sim
    sim.settings.smpp_dlr_delay = 0.3
    receiver = await smpp()
    await receiver.bind(BIND_RECEIVER)
    submitter = await smpp()
    await submitter.bind()
    _, _, _, body = await submitter.submit(registered_delivery=1)
    submitter.writer.transport.abort()
    _, receipt = await _receipt(receiver)
    assert receipt["tlvs"][0x001E] == body


# Incoming SMS (MO).


async def _incoming(running, **body) -> httpx.Response:
    async with httpx.AsyncClient(base_url=running.url) as http:
        return await http.post("/_sim/incoming", json=body)


async def test_mo_is_delivered_and_acked(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind(BIND_RECEIVER)
    response = await _incoming(
        plasgate_smpp_simulator, **{"from": "85512345678", "to": "SMS Info", "text": "hi @ {x}"}
    )
    assert response.status_code == 200
    assert response.json()["delivered_to"] == 1
    command_id, _, seq, body = await client.read()
    assert command_id == DELIVER_SM
    mo = parse_deliver_sm(body)
    assert (mo["source"], mo["destination"], mo["esm_class"], mo["data_coding"]) == (
        "85512345678",
        "SMS Info",
        0,
        0,
    )
    assert mo["short_message"] == b"hi \x00 \x1b\x28x\x1b\x29"
    await client.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    await asyncio.sleep(0.05)
    [state] = plasgate_smpp_simulator.sim.smpp.snapshot()["mo"]
    assert state["id"] == response.json()["id"]
    assert (state["state"], state["attempts"], state["text"]) == ("acked", 1, "hi @ {x}")


async def test_unacked_mo_is_delivered_again_on_the_next_bind_and_not_once_acked(
    smpp, plasgate_smpp_simulator
):
    sim = plasgate_smpp_simulator.sim
    first = await smpp()
    await first.bind()
    mo_id = await sim.smpp.deliver("85512345678", "SMS Info", "again")
    assert (await first.read())[0] == DELIVER_SM
    first.writer.transport.abort()  # never answered
    await asyncio.sleep(0.05)
    second = await smpp()
    await second.bind()
    _, _, seq, body = await second.read()
    assert parse_deliver_sm(body)["short_message"] == b"again"
    await second.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    await asyncio.sleep(0.05)
    [mo] = sim.smpp.snapshot()["mo"]
    assert (mo["id"], mo["state"], mo["attempts"]) == (mo_id, "acked", 2)
    third = await smpp()
    await third.bind()
    assert await third.silent_for(0.3)


async def test_mo_waits_for_a_bind(smpp, plasgate_smpp_simulator):
    response = await _incoming(plasgate_smpp_simulator, **{"from": "1", "to": "2", "text": "x"})
    assert response.json()["delivered_to"] == 0
    transmitter = await smpp()
    await transmitter.bind(BIND_TRANSMITTER)
    assert await transmitter.silent_for(0.2)
    receiver = await smpp()
    await receiver.bind(BIND_RECEIVER)
    assert (await receiver.read())[0] == DELIVER_SM


async def test_refused_mo_is_retried_on_the_same_session(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    await plasgate_smpp_simulator.sim.smpp.deliver("85512345678", "SMS Info", "retry")
    _, _, seq, _ = await client.read()
    await client.send(DELIVER_SM_RESP, b"\x00", status=0x08, seq=seq)
    loop = asyncio.get_running_loop()
    started = loop.time()
    _, _, seq, body = await client.read()
    assert loop.time() - started >= 0.9
    assert parse_deliver_sm(body)["short_message"] == b"retry"
    await client.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    await asyncio.sleep(0.05)
    [mo] = plasgate_smpp_simulator.sim.smpp.snapshot()["mo"]
    assert (mo["state"], mo["attempts"]) == ("acked", 2)


@pytest.mark.parametrize(
    ("text", "coding", "parts"),
    [("a" * 160, 0, 1), ("a" * 161, 0, 2), ("€" * 100, 0, 2), ("ក" * 70, 8, 1), ("ក" * 71, 8, 2)],
)
async def test_long_mo_is_split_with_a_udh(smpp, plasgate_smpp_simulator, text, coding, parts):
    client = await smpp()
    await client.bind()
    await plasgate_smpp_simulator.sim.smpp.deliver("85512345678", "SMS Info", text)
    received = []
    for _ in range(parts):
        _, _, seq, body = await client.read()
        received.append(parse_deliver_sm(body))
        await client.send(DELIVER_SM_RESP, b"\x00", seq=seq)
    assert await client.silent_for(0.2)
    assert {part["data_coding"] for part in received} == {coding}
    if parts == 1:
        assert received[0]["esm_class"] == 0
        payloads = [received[0]["short_message"]]
    else:
        assert {part["esm_class"] for part in received} == {0x40}
        udhs = [part["short_message"][:6] for part in received]
        assert [udh[5] for udh in udhs] == list(range(1, parts + 1))
        assert {udh[:3] + udh[4:5] for udh in udhs} == {bytes([5, 0, 3, parts])}
        payloads = [part["short_message"][6:] for part in received]
    joined = b"".join(payloads)
    if coding == 8:
        decoded = joined.decode("utf-16-be")
    else:
        decoded = joined.replace(b"\x1b\x65", "€".encode()).decode()
    assert decoded == text
    await asyncio.sleep(0.05)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["mo"][0]["state"] == "acked"


@pytest.mark.parametrize(
    "body",
    [{"to": "x", "text": "y"}, {"from": "", "to": "x", "text": "y"}, {"from": "1", "to": "2"}],
)
async def test_incoming_refuses_bad_fields(plasgate_smpp_simulator, body):
    response = await _incoming(plasgate_smpp_simulator, **body)
    assert response.status_code == 400
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["mo"] == []
