"""The SMPP simulator's codec pieces: PDU framing, body fields, GSM-7, UDH and MO splitting."""

import asyncio
from datetime import UTC, datetime

from hypothesis import given, strategies as st
import pytest

from simulators.plasgate.smpp import gsm7
from simulators.plasgate.smpp.pdu import BodyReader, BodyWriter, MalformedPdu, Pdu, read_pdu
from simulators.plasgate.smpp.receipts import Receipt
from simulators.plasgate.smpp.text import BadUdh, Concatenation, decode, mo_parts, split_udh

GSM_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f"
)


async def _read(data: bytes) -> Pdu:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return await read_pdu(reader)


async def test_pdu_round_trip_and_bad_lengths():
    pdu = Pdu(0x80000004, 0, 7, b"abc\x00")
    assert (
        pdu.encode() == b"\x00\x00\x00\x14\x80\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x07abc\x00"
    )
    assert await _read(pdu.encode()) == pdu
    for length in (0, 15, 65537):
        with pytest.raises(MalformedPdu):
            await _read(length.to_bytes(4) + bytes(12))
    with pytest.raises(asyncio.IncompleteReadError):
        await _read(pdu.encode()[:-1])


def test_body_reader_and_writer():
    body = BodyWriter().c_string("ab").octet(7).octets(b"xy").tlv(0x0427, b"\x02").build()
    assert body == b"ab\x00\x07xy\x04\x27\x00\x01\x02"
    reader = BodyReader(body)
    assert (reader.c_string(3), reader.octet(), reader.octets(2)) == ("ab", 7, b"xy")
    assert reader.tlvs() == {0x0427: b"\x02"}
    with pytest.raises(MalformedPdu):
        BodyReader(b"abc\x00").c_string(3)  # the NUL must come within the field's size
    with pytest.raises(MalformedPdu):
        BodyReader(b"\x04\x27\x00\x05\x01").tlvs()


@given(st.text(alphabet=GSM_ALPHABET))
def test_gsm7_round_trip(text):
    assert gsm7.is_gsm7(text)
    assert gsm7.decode(gsm7.encode(text)) == text


def test_gsm7_known_septets():
    assert gsm7.encode("@£€{") == b"\x00\x01\x1b\x65\x1b\x28"
    assert gsm7.decode(b"\x1b\x41") == "A"  # an unknown escape shows the basic character
    assert not gsm7.is_gsm7("ក")


def test_split_udh():
    assert split_udh(b"\x05\x00\x03\x2a\x02\x01hi") == (Concatenation(0x2A, 2, 1), b"hi")
    assert split_udh(b"\x06\x08\x04\x12\x34\x03\x02hi") == (Concatenation(0x1234, 3, 2), b"hi")
    assert split_udh(b"\x03\x24\x01\x01hi") == (None, b"hi")  # another IE only
    for bad in (
        b"",
        b"\x09\x00\x03",
        b"\x02\x00\x03",
        b"\x04\x00\x02\x01\x01",
        b"\x05\x00\x03\x01\x02\x03",
    ):
        with pytest.raises(BadUdh):
            split_udh(bad)


def test_decode_refuses_unknown_codings():
    assert decode(b"\xe9", 3) == "é"
    with pytest.raises(ValueError, match="data_coding"):
        decode(b"x", 4)


@given(st.text(min_size=1, max_size=600))
def test_mo_parts_rebuild_the_text(text):
    coding, esm_class, parts = mo_parts(text, 9)
    if esm_class:
        assert all(part[:5] == bytes([5, 0, 3, 9, len(parts)]) for part in parts)
        payloads = [part[6:] for part in parts]
    else:
        payloads = parts
    assert all(len(part) <= 140 if coding == 8 else len(part) <= 160 for part in parts)
    joined = b"".join(payloads)
    assert (gsm7.decode(joined) if coding == 0 else joined.decode("utf-16-be")) == text
    if coding == 0:
        assert all(not payload.endswith(b"\x1b") for payload in payloads)
    else:
        assert all(payload.decode("utf-16-be") for payload in payloads)  # no pair cut in two


def test_receipt_text_is_cut_at_20_characters():
    at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    receipt = Receipt("id-1", "SMS Info", "85512345678", "x" * 30, "EXPIRED", at, at)
    assert receipt.short_message() == (
        b"id:id-1 sub:001 dlvrd:000 submit date:2601020304 done date:2601020304"
        b" stat:EXPIRED err:001 text:" + b"x" * 20
    )
