"""The Plasgate SMPP simulator against smpplib, an SMPP client nobody here wrote.

smpplib is synchronous: each call runs in a thread while the simulator serves on the test's loop.
"""

import asyncio

import httpx
import smpplib.client
import smpplib.consts
import smpplib.gsm

GSM_TEXT = "Hello from smpplib: 100% ok?"
UCS2_TEXT = "សួស្តី ពិភពលោក! " * 10


class Smpplib:
    """An smpplib client whose handlers collect what it receives."""

    def __init__(self, host: str, port: int) -> None:
        self.client = smpplib.client.Client(host, port, timeout=5, allow_unknown_opt_params=True)
        self.received: list = []
        self.sent: list = []
        self.client.set_message_received_handler(lambda pdu: self.received.append(pdu))
        self.client.set_message_sent_handler(lambda pdu: self.sent.append(pdu))

    def bind(self) -> None:
        self.client.connect()
        self.client.bind_transceiver(system_id="demo", password="demo")

    def send(self, text: str, encoding: int) -> int:
        parts, coding, esm_class = smpplib.gsm.make_parts(text, encoding)
        for part in parts:
            self.client.send_message(
                source_addr_ton=smpplib.consts.SMPP_TON_ALNUM,
                source_addr="SMS Info",
                dest_addr_ton=smpplib.consts.SMPP_TON_INTL,
                destination_addr="85512345678",
                short_message=part,
                data_coding=coding,
                esm_class=esm_class,
                registered_delivery=1,
            )
        return len(parts)

    def read_until(self, done) -> None:
        while not done():
            self.client.read_once()

    def close(self) -> None:
        self.client.unbind()
        self.client.disconnect()


async def test_smpplib_sends_gets_receipts_and_an_mo(plasgate_smpp_simulator):
    sim = plasgate_smpp_simulator.sim
    assert sim.smpp.address is not None
    esme = Smpplib(*sim.smpp.address)
    await asyncio.to_thread(esme.bind)
    try:
        gsm_parts = await asyncio.to_thread(
            esme.send, GSM_TEXT, smpplib.consts.SMPP_ENCODING_DEFAULT
        )
        ucs2_parts = await asyncio.to_thread(
            esme.send, UCS2_TEXT, smpplib.consts.SMPP_ENCODING_ISO10646
        )
        assert (gsm_parts, ucs2_parts) == (1, 3)
        total = gsm_parts + ucs2_parts
        await asyncio.wait_for(
            asyncio.to_thread(
                esme.read_until, lambda: len(esme.sent) == total and len(esme.received) == total
            ),
            20,
        )
        ids = {pdu.message_id.decode() for pdu in esme.sent}
        assert len(ids) == total
        assert all(pdu.status == 0 for pdu in esme.sent)
        assert {pdu.receipted_message_id.decode() for pdu in esme.received} == ids
        assert {pdu.message_state for pdu in esme.received} == {2}
        assert all(b"stat:DELIVRD" in pdu.short_message for pdu in esme.received)

        submitted = sim.smpp.snapshot()["submitted"]
        assert [(m["text"], m["parts"], m["data_coding"]) for m in submitted] == [
            (GSM_TEXT, 1, 0),
            (UCS2_TEXT, 3, 8),
        ]

        esme.received.clear()
        async with httpx.AsyncClient(base_url=plasgate_smpp_simulator.url) as http:
            response = await http.post(
                "/_sim/incoming", json={"from": "85598765432", "to": "SMS Info", "text": "Reply"}
            )
        assert response.json()["delivered_to"] == 1
        await asyncio.wait_for(
            asyncio.to_thread(esme.read_until, lambda: len(esme.received) == 1), 20
        )
        [mo] = esme.received
        assert (mo.source_addr.decode(), mo.short_message, mo.esm_class) == (
            "85598765432",
            b"Reply",
            0,
        )
        await asyncio.sleep(0.05)
        assert sim.smpp.snapshot()["mo"][0]["state"] == "acked"
    finally:
        await asyncio.to_thread(esme.close)
