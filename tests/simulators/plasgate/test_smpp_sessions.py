"""Plasgate SMPP simulator: binds, the PDUs a session answers, and submit_sm checks (raw socket)."""

import asyncio
import struct

import pytest

from simulators.plasgate.settings import PlasgateSettings
from tests.simulators.plasgate.conftest import (
    BIND_RECEIVER,
    BIND_TRANSMITTER,
    ENQUIRE_LINK,
    GENERIC_NACK,
    SUBMIT_SM,
    UNBIND,
)


async def test_bind_transceiver_answers_plasgate_and_shows_in_the_snapshot(
    smpp, plasgate_smpp_simulator
):
    client = await smpp()
    command_id, status, seq, body = await client.bind()
    assert (command_id, status, seq) == (0x80000009, 0, 1)
    assert body.startswith(b"plasgate\x00")
    binds = plasgate_smpp_simulator.sim.snapshot()["smpp"]["binds"]
    assert [(b["system_id"], b["mode"]) for b in binds] == [("demo", "transceiver")]
    assert binds[0]["peer"].startswith("127.0.0.1:")


@pytest.mark.parametrize(
    ("command_id", "mode"),
    [(BIND_RECEIVER, "receiver"), (BIND_TRANSMITTER, "transmitter")],
)
async def test_other_bind_modes(smpp, plasgate_smpp_simulator, command_id, mode):
    client = await smpp()
    assert (await client.bind(command_id))[:2] == (command_id | 0x80000000, 0)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["binds"][0]["mode"] == mode


@pytest.mark.parametrize(
    ("system_id", "password", "status"),
    [("demo", "nope", 0x0E), ("other", "demo", 0x0F)],
)
async def test_wrong_credentials_are_refused_and_closed(smpp, system_id, password, status):
    client = await smpp()
    assert (await client.bind(system_id=system_id, password=password))[:2] == (
        0x80000009,
        status,
    )
    assert await client.closed_by_server()


async def test_second_bind_on_a_bound_session_is_refused(smpp):
    client = await smpp()
    await client.bind()
    assert (await client.bind())[1] == 0x05


async def test_submit_before_bind_and_on_a_receiver_is_refused(smpp, plasgate_smpp_simulator):
    client = await smpp()
    assert (await client.submit())[:2] == (0x80000004, 0x04)
    await client.bind(BIND_RECEIVER)
    assert (await client.submit())[:2] == (0x80000004, 0x04)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"] == []


async def test_unknown_command_gets_generic_nack(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    command_id, status, seq, _ = await client.request(0x00000999)
    assert (command_id, status, seq) == (GENERIC_NACK, 0x03, 2)
    counts = plasgate_smpp_simulator.sim.smpp.snapshot()["counts"]
    assert counts["unknown_0x00000999"] == 1
    assert counts["bind_transceiver"] == 1


async def test_enquire_link_and_unbind(smpp, plasgate_smpp_simulator):
    client = await smpp()
    assert (await client.request(ENQUIRE_LINK))[:2] == (0x80000015, 0)
    await client.bind()
    assert (await client.request(UNBIND))[:2] == (0x80000006, 0)
    assert await client.closed_by_server()
    await asyncio.sleep(0.05)
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["binds"] == []


@pytest.mark.parametrize("length", [15, 8, 64 * 1024 + 1])
async def test_bad_command_length_closes(smpp, length):
    client = await smpp()
    client.writer.write(struct.pack(">IIII", length, ENQUIRE_LINK, 0, 1))
    assert await client.closed_by_server()


async def test_truncated_submit_body_gets_generic_nack(smpp):
    client = await smpp()
    await client.bind()
    command_id, status, _, _ = await client.request(SUBMIT_SM, b"\x00\x05\x00SMS")
    assert (command_id, status) == (GENERIC_NACK, 0x02)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"to": "12345"}, 0x0B),
        ({"to": "1234567890123456"}, 0x0B),
        ({"to": "+85512345678"}, 0x0B),
        ({"to": "8551234567a"}, 0x0B),
        ({"sender": "Unknown"}, 0x0A),
        ({"message": b"x" * 255}, 0x01),
        ({"data_coding": 4}, 0x45),
        ({"esm_class": 0x40, "message": b"\x09\x00\x03\x01\x02\x01ab"}, 0x43),
    ],
)
async def test_submit_checks(smpp, plasgate_smpp_simulator, fields, status):
    client = await smpp()
    await client.bind()
    command_id, answered, _, body = await client.submit(**fields)
    assert (command_id, answered, body) == (0x80000004, status, b"")
    assert plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"] == []


async def test_plus_is_accepted_with_the_switch(smpp, plasgate_smpp_simulator):
    plasgate_smpp_simulator.sim.switches["accept_plus_in_to"] = True
    client = await smpp()
    await client.bind()
    assert (await client.submit(to="+85512345678"))[1] == 0


async def test_each_submit_gets_its_own_id_and_texts_decode(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    sent = [
        ({"message": b"Price: 5\x1b\x65 \x1b\x28ok\x1b\x29 \x00\x11"}, "Price: 5€ {ok} @_", 0),
        ({"message": "Café".encode("latin-1"), "data_coding": 3}, "Café", 3),
        ({"message": "សួស្តី".encode("utf-16-be"), "data_coding": 8}, "សួស្តី", 8),
    ]
    ids = []
    for fields, _, _ in sent:
        _, status, _, body = await client.submit(**fields)
        assert status == 0
        assert body.endswith(b"\x00")
        ids.append(body[:-1].decode())
    assert len(set(ids)) == 3
    assert all(len(i) == 36 and i.count("-") == 4 for i in ids)
    submitted = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert [(m["message_id"], m["text"], m["data_coding"], m["parts"]) for m in submitted] == [
        (i, text, coding, 1) for i, (_, text, coding) in zip(ids, sent, strict=True)
    ]
    assert submitted[0]["to"] == "85512345678"
    assert submitted[0]["sender"] == "SMS Info"


def _udh16(ref: int, total: int, number: int) -> bytes:
    return bytes([6, 0x08, 4]) + ref.to_bytes(2) + bytes([total, number])


async def test_concatenated_parts_are_reassembled_out_of_order(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    text = "ភាសាខ្មែរ " * 10
    data = text.encode("utf-16-be")
    chunks = [data[:134], data[134:]]
    _, status, _, second = await client.submit(
        message=_udh16(0x1234, 2, 2) + chunks[1], esm_class=0x40, data_coding=8
    )
    assert status == 0
    snapshot = plasgate_smpp_simulator.sim.smpp.snapshot()
    assert (snapshot["submitted"], snapshot["pending_parts"]) == ([], 1)
    _, status, _, first = await client.submit(
        message=_udh16(0x1234, 2, 1) + chunks[0], esm_class=0x40, data_coding=8
    )
    [message] = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert message["text"] == text
    assert message["parts"] == 2
    assert message["message_ids"] == [first[:-1].decode(), second[:-1].decode()]


async def test_message_payload_tlv_carries_a_long_message(smpp, plasgate_smpp_simulator):
    client = await smpp()
    await client.bind()
    text = "x" * 400
    tlv = struct.pack(">HH", 0x0424, len(text)) + text.encode()
    assert (await client.submit(message=b"", tlvs=tlv))[1] == 0
    [message] = plasgate_smpp_simulator.sim.smpp.snapshot()["submitted"]
    assert (message["text"], message["parts"]) == (text, 1)


class TestOtherCredentials:
    @pytest.fixture
    def plasgate_settings(self) -> PlasgateSettings:
        return PlasgateSettings(smpp_system_id="acct", smpp_password="pw")

    async def test_settings_credentials_and_the_password_stays_out(
        self, smpp, plasgate_smpp_simulator
    ):
        client = await smpp()
        assert (await client.bind())[1] == 0x0F
        client = await smpp()
        assert (await client.bind(system_id="acct", password="pw"))[1] == 0
        settings = plasgate_smpp_simulator.sim.snapshot()["settings"]
        assert settings["smpp_system_id"] == "acct"
        assert "smpp_password" not in settings
