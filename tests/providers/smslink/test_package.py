"""SMSLink numbers and BULK v3 packages: normalisation, escaping, refusals, reply reading."""

import hashlib
import zlib

from hypothesis import assume, given, strategies as st
import pytest

from custom_components.sms_gateway.providers.errors import (
    AuthError,
    InvalidInputError,
    InvalidResponseError,
    RejectedError,
    ServiceError,
)
from custom_components.sms_gateway.providers.smslink.numbers import smslink_number
from custom_components.sms_gateway.providers.smslink.package import (
    BulkStatus,
    PackageLine,
    build_upload,
    check_sender,
    escape_text,
    read_outcomes,
)
from custom_components.sms_gateway.providers.smslink.replies import read_reply, redact


@pytest.mark.parametrize(
    ("number", "country", "expected"),
    [
        ("0712 345 678", "40", "0712345678"),
        ("+40 712 345 678", "40", "0712345678"),
        ("0040712345678", "40", "0712345678"),
        ("40712345678", "40", "0712345678"),
        ("+40 712 345 678", "855", "0712345678"),
        ("+44 20 7946 0958", "40", "00442079460958"),
        ("0044 7700 900123", "40", "00447700900123"),
        ("07700 900123", "44", "00447700900123"),
        ("012 345 678", "855", "0085512345678"),
        ("+40212345678", "40", "0040212345678"),
    ],
)
def test_numbers_in_smslink_form(number: str, country: str, expected: str) -> None:
    assert smslink_number(number, country) == expected


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("021 234 5678", "40"),  # a Romanian landline: not 07...
        ("071234567", "40"),
        ("+0712345678", "40"),
        ("+123", "40"),
        ("+1234567890123456", "40"),
        ("07a1234567", "40"),
        ("0712345678", "+40"),
        ("0712345678", "RO"),
    ],
)
def test_numbers_refused(number: str, country: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        smslink_number(number, country)
    assert "12345" not in str(caught.value)


def test_escape_encodes_line_feeds_and_semicolons_and_keeps_the_rest() -> None:
    assert escape_text("  a;b\nc\n\u2028 ") == "  a%3Bb%0Ac%0A\u2028 "


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("100%0A", "%0A or %3B"),
        ("x %3b y", "%0A or %3B"),
        ("a\r\nb", "carriage return"),
        ("a\rb", "carriage return"),
        ("a\tb", "tab"),
        ("a\x00b", "control character U\\+0000"),
    ],
)
def test_texts_the_format_cannot_carry_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        escape_text(text)


def unescape(field: str) -> str:
    return field.replace("%0A", "\n").replace("%3B", ";")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1))
def test_escaped_text_never_breaks_a_line_and_decodes_back(text: str) -> None:
    assume(text.strip() and "%0A" not in text.upper() and "%3B" not in text.upper())
    escaped = escape_text(text)
    assert not {";", "\r", "\n", "\t"} & set(escaped)
    assert unescape(escaped) == text


@pytest.mark.parametrize(
    "sender", ["", "a;b", "line\nbreak", "TwelveChars!", "ŞCOALA", "x" * 12, " x", "x ", " "]
)
def test_senders_that_could_break_a_line_are_refused(sender: str) -> None:
    with pytest.raises(InvalidInputError):
        check_sender(sender)


@pytest.mark.parametrize(
    "sender", ["numeric", "SMSLink.ro", "My Shop", "123456789012345", "x", "A 1 2 3 4 5"]
)
def test_senders_accepted(sender: str) -> None:
    assert check_sender(sender) == sender


def test_upload_fields_describe_the_package() -> None:
    lines = [
        PackageLine(1, "0712345678", "numeric", "Test; SMS\n1"),
        PackageLine(2, "00447700900123", "numeric", "ă", 1_900_000_000),
    ]
    upload = build_upload(lines)
    assert (
        upload.plain
        == (
            "1;0712345678;numeric;Test%3B SMS%0A1;0\r\n2;00447700900123;numeric;ă;1900000000"
        ).encode()
    )
    assert zlib.decompress(upload.compressed) == upload.plain
    fields = upload.fields()
    assert fields["Compression"] == "1"
    assert fields["MD5Plain"] == hashlib.md5(upload.plain).hexdigest()  # noqa: S324
    assert fields["MD5Compressed"] == hashlib.md5(upload.compressed).hexdigest()  # noqa: S324
    assert fields["SizePlain"] == str(len(upload.plain))
    assert fields["SizeCompressed"] == str(len(upload.compressed))
    assert fields["Receivers"] == "2"


@pytest.mark.parametrize(
    "line",
    [
        PackageLine(1, "+40712345678", "numeric", "x"),
        PackageLine(1, "07123;45678", "numeric", "x"),
        PackageLine(-1, "0712345678", "numeric", "x"),
        PackageLine(1, "0712345678", "numeric", "x", -5),
        PackageLine(1, "0712345678", "numeric", "   "),
        PackageLine(1, "0712345678", "numeric", "\ud800"),
        PackageLine(1, "0712345678", "a;b", "x"),
    ],
)
def test_lines_that_could_break_the_format_are_refused(line: PackageLine) -> None:
    with pytest.raises(InvalidInputError):
        build_upload([line])


def test_empty_package_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        build_upload([])


def test_outcomes_tolerate_empty_or_zero_remote_ids() -> None:
    package_id, outcomes = read_outcomes(["17", "1:220000000:3,2::1,3:0:4,"])
    assert package_id == "17"
    assert [(o.local_id, o.message_id, o.status) for o in outcomes] == [
        (1, 220000000, BulkStatus.SENT),
        (2, None, BulkStatus.SENDER_FAILED),
        (3, None, BulkStatus.INTERNAL_ERROR_OR_BLACKLISTED),
    ]


@pytest.mark.parametrize("fields", [["17"], ["17", "1:2"], ["17", "x:1:3"], ["17", "1:1:9"]])
def test_unreadable_outcomes(fields: list[str]) -> None:
    with pytest.raises(InvalidResponseError):
        read_outcomes(fields)


def test_reply_reading() -> None:
    line = read_reply("index.php", 200, "MESSAGE;1;Sent;5,0712345678,numeric\n", password="pw")
    assert (line.code, line.fields) == (1, ("5,0712345678,numeric",))
    with pytest.raises(RejectedError) as rejected:
        read_reply("index.php", 200, "ERROR;5;Bad number 0712345678", password="pw")
    assert rejected.value.code == 5
    assert "0712345678" not in str(rejected.value)
    with pytest.raises(AuthError):
        read_reply("index.php", 200, "ERROR;5;Wrong password", password="pw")
    with pytest.raises(AuthError):
        read_reply("index.php", 403, "ERROR;99;Nope", password="pw", auth_on_error=True)
    with pytest.raises(ServiceError):
        read_reply("index.php", 502, "<html>", password="pw")
    with pytest.raises(ServiceError):
        read_reply("index.php", 500, "MESSAGE;1;odd;1", password="pw")
    with pytest.raises(InvalidResponseError):
        read_reply("index.php", 200, "MESSAGE;x;odd", password="pw")
    with pytest.raises(InvalidResponseError):
        read_reply("index.php", 200, "OK", password="pw")


def test_redact_masks_numbers_and_the_password() -> None:
    assert (
        redact("to +40712345678 with secret hunter2", "hunter2")
        == "to +40*******78 with secret ***"
    )
    assert redact("ok", "pw") == "ok"
