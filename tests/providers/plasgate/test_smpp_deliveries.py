"""Reading deliver_sm bodies as a server might write them (PDUs packed by hand here)."""

from __future__ import annotations

import struct

import pytest

from custom_components.sms_gateway.providers.plasgate import DeliveryReport, DeliveryState
from custom_components.sms_gateway.providers.plasgate.smpp import IncomingPart
from custom_components.sms_gateway.providers.plasgate.smpp.deliveries import (
    UnreadableDeliveryError,
    body_digest,
    read_delivery,
)


def deliver_sm(
    short_message: bytes,
    *,
    esm_class: int = 0,
    data_coding: int = 0,
    tlvs: bytes = b"",
    sequence: int = 7,
    source: tuple[int, bytes] = (1, b"85598765432"),
) -> bytes:
    """A deliver_sm from 85598765432 (international) to 1234 (a short code)."""
    source_ton, source_addr = source
    body = (
        b"\0"  # service_type
        + bytes((source_ton, 1))
        + source_addr
        + b"\0"
        + bytes((0, 1))
        + b"1234\0"
        + bytes((esm_class, 0, 0))
        + b"\0\0"  # schedule_delivery_time, validity_period
        + bytes((0, 0, data_coding, 0, len(short_message)))
        + short_message
        + tlvs
    )
    return struct.pack("!IIII", 16 + len(body), 0x00000005, 0, sequence) + body


def tlv(tag: int, value: bytes) -> bytes:
    return struct.pack("!HH", tag, len(value)) + value


def test_a_receipt_names_its_message_and_state() -> None:
    text = (
        b"id:abc-1 sub:001 dlvrd:001 submit date:2612061200 done date:2612061201"
        b" stat:DELIVRD err:000 text:Hello"
    )
    report = read_delivery(deliver_sm(text, esm_class=0x04))
    assert isinstance(report, DeliveryReport)
    assert (report.message_id, report.status, report.state) == (
        "abc-1",
        "DELIVRD",
        DeliveryState.DELIVERED,
    )


def test_a_receipt_text_without_id_or_stat_is_read_from_its_tlvs() -> None:
    tlvs = tlv(0x001E, b"abc-2\0") + tlv(0x0427, bytes((5,)))
    report = read_delivery(deliver_sm(b"sub:001 dlvrd:000", esm_class=0x04, tlvs=tlvs))
    assert isinstance(report, DeliveryReport)
    assert (report.message_id, report.status, report.state) == (
        "abc-2",
        "UNDELIV",
        DeliveryState.UNDELIVERED,
    )


def test_a_receipt_with_no_text_at_all_is_read_from_its_tlvs() -> None:
    """sm_length 0, which SMPP v3.4 allows and aiosmpplib alone would refuse."""
    tlvs = tlv(0x001E, b"abc-4\0") + tlv(0x0427, bytes((2,)))
    report = read_delivery(deliver_sm(b"", esm_class=0x04, tlvs=tlvs))
    assert isinstance(report, DeliveryReport)
    assert (report.message_id, report.status) == ("abc-4", "DELIVRD")


def test_an_empty_sms_is_an_sms() -> None:
    part = read_delivery(deliver_sm(b""))
    assert isinstance(part, IncomingPart)
    assert (part.text, part.whole) == ("", True)


def test_a_receipt_whose_date_is_not_one_still_reads_its_tlvs() -> None:
    tlvs = tlv(0x001E, b"abc-3\0") + tlv(0x0427, bytes((2,)))
    report = read_delivery(
        deliver_sm(b"id:abc-3 submit date:never stat:DELIVRD", esm_class=0x04, tlvs=tlvs)
    )
    assert isinstance(report, DeliveryReport)
    assert (report.message_id, report.state) == ("abc-3", DeliveryState.DELIVERED)


@pytest.mark.parametrize("text", [b"stat:DELIVRD", b"id:" + b"x" * 66 + b" stat:DELIVRD"])
def test_a_receipt_that_names_no_message_is_refused(text: bytes) -> None:
    with pytest.raises(UnreadableDeliveryError):
        read_delivery(deliver_sm(text, esm_class=0x04))


def test_an_sms_in_the_default_alphabet_is_gsm() -> None:
    part = read_delivery(deliver_sm(b"Hello \x05 \x1be"))  # é (0x05) and € (escape, e)
    assert isinstance(part, IncomingPart)
    assert (part.source, part.destination, part.text, part.whole) == (
        "+85598765432",
        "1234",
        "Hello é €",
        True,
    )


def test_an_octet_gsm_cannot_read_is_read_as_latin_1() -> None:
    part = read_delivery(deliver_sm(b"caf\xe9"))
    assert isinstance(part, IncomingPart)
    assert part.text == "café"


def test_a_part_with_a_16_bit_reference() -> None:
    udh = bytes((6, 0x08, 4, 0x12, 0x34, 3, 2))
    part = read_delivery(deliver_sm(udh + "Ж".encode("utf-16-be"), esm_class=0x40, data_coding=8))
    assert isinstance(part, IncomingPart)
    assert (part.reference, part.total, part.index, part.text) == (0x1234, 3, 2, "Ж")


def test_a_redelivery_has_the_same_digest_whatever_its_sequence() -> None:
    first, again = deliver_sm(b"yes", sequence=1), deliver_sm(b"yes", sequence=99)
    assert body_digest(first) == body_digest(again)
    assert body_digest(first) != body_digest(deliver_sm(b"no"))


def test_a_truncated_body_is_unreadable() -> None:
    pdu = deliver_sm(b"Hello")
    cut = struct.pack("!I", 24) + pdu[4:24]
    with pytest.raises(UnreadableDeliveryError):
        read_delivery(cut)


@pytest.mark.parametrize(
    ("source", "read"),
    [
        ((1, b"85598765432"), "+85598765432"),  # international: E.164
        ((2, b"098765432"), "098765432"),  # national: as written
        ((0, b"85598765432"), "85598765432"),  # unknown: as written
        ((5, b"Plasgate"), "Plasgate"),  # alphanumeric
        ((1, b"+85598765432"), "+85598765432"),  # a server that writes the "+" itself
    ],
)
def test_only_an_international_number_gets_its_plus(source: tuple[int, bytes], read: str) -> None:
    part = read_delivery(deliver_sm(b"Hi", source=source))
    assert isinstance(part, IncomingPart)
    assert part.source == read
