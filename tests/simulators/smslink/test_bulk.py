"""SMSLink bulk-v3.php (spec §2.4, §3.5), with packages built by hand from the spec."""

import bz2
from collections.abc import Callable
import hashlib
from typing import Any
import zlib

import httpx
import pytest

from simulators.smslink.lzf import LzfError, lzf_decompress

BULK = "/sms/gateway/communicate/bulk-v3.php"
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "0": lambda data: data,
    "1": lambda data: zlib.compress(data, 9),
    "2": bz2.compress,
}


def form(
    plain: bytes, compression: str = "1", uploaded: bytes | None = None, **overrides: str
) -> tuple[dict[str, str], bytes]:
    """The official client's fields for a package (sizes in bytes, like PHP strlen)."""
    if uploaded is None:
        uploaded = COMPRESS[compression](plain)
    fields = {
        "connection_id": "demo",
        "password": "demo",
        "test": "0",
        "Compression": compression,
        "MD5Plain": hashlib.md5(plain).hexdigest(),  # noqa: S324
        "MD5Compressed": hashlib.md5(uploaded).hexdigest(),  # noqa: S324
        "SizePlain": str(len(plain)),
        "SizeCompressed": str(len(uploaded)),
        "Timestamp": "1700000000",
        "Buffering": "1",
        "Version": "2.1",
        "Receivers": str(plain.count(b"\r\n") + 1),
    }
    fields.update(overrides)
    return fields, uploaded


async def post(api: httpx.AsyncClient, fields: dict[str, str], uploaded: bytes | None) -> str:
    files = None if uploaded is None else {"Package": ("sms-package-1", uploaded)}
    response = await api.post(BULK, params={"timestamp": "1700000000"}, data=fields, files=files)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("compression", ["0", "1", "2"])
async def test_official_example_is_accepted(
    api: httpx.AsyncClient, sim: Any, compression: str
) -> None:
    package = b"1;0712345678;numeric;Test SMS 1;0\r\n2;00407123456789;numeric;Test SMS 2;0"
    text = await post(api, *form(package, compression))
    kind, code, message, package_id, triples = text.split(";")
    assert (kind, code, message, package_id) == ("MESSAGE", "1", "Package received.", "1")
    assert triples == "1:220000000:3,2:0:2"
    assert sim.account.messages[220000000].via == "bulk"
    assert sim.bulk.packages == [{"package_id": 1, "test": False, "lines": 2}]


async def test_escapes_are_decoded(api: httpx.AsyncClient, sim: Any) -> None:
    package = "7;0712345678;numeric;a%3Bb%0Ac ă;0\r\n".encode()
    fields, uploaded = form(package, Receivers="1")
    await post(api, fields, uploaded)
    assert sim.account.messages[220000000].text == "a;b\nc ă"


async def test_statuses_one_to_five(api: httpx.AsyncClient, sim: Any) -> None:
    sim.account.blacklist = {"0040722222222"}
    sim.account.national_credit = 2
    lines = [
        "1;0712345678;Nobody;x;0",
        "2;12345;numeric;x;0",
        "3;0722222222;numeric;x;0",
        "4;0733333333;numeric;x;0",
        "5;0744444444;numeric;x;0",
        "6;0755555555;numeric;x;0",
    ]
    text = await post(api, *form("\r\n".join(lines).encode()))
    triples = text.split(";")[4].split(",")
    assert [t.split(":")[2] for t in triples] == ["1", "2", "4", "3", "3", "5"]
    assert [t.split(":")[1] for t in triples] == ["0", "0", "0", "220000000", "220000001", "0"]
    assert sim.account.national_credit == 0


async def test_switches_for_rejected_ids_success_line_and_internal_errors(
    api: httpx.AsyncClient, sim: Any
) -> None:
    sim.faults.update(
        bulk_reject_remote_id="", bulk_success_code=9, bulk_success_text="OK", test_mode_on_http="x"
    )
    text = await post(api, *form(b"1;0712345678;Nobody;x;0"))
    assert text == "MESSAGE;9;OK;1;1::1"
    sim.faults["bulk_internal_error_rate"] = 1.0
    text = await post(api, *form(b"1;0712345678;numeric;x;0"))
    assert text.endswith(";1::4")


async def test_test_mode_uses_no_credit(api: httpx.AsyncClient, sim: Any) -> None:
    fields, uploaded = form(b"1;0712345678;numeric;x;0", test="1")
    assert (await post(api, fields, uploaded)).endswith("1:220000000:3")
    assert sim.account.national_credit == 1000
    assert sim.account.messages[220000000].state == "test"


async def test_scheduled_line_waits(api: httpx.AsyncClient, sim: Any) -> None:
    due = sim.account.now() + 7200
    await post(api, *form(f"1;0712345678;numeric;x;{due}".encode()))
    assert sim.account.messages[220000000].state == "scheduled"


@pytest.mark.parametrize(
    ("fields", "uploaded", "reason"),
    [
        ({"password": "bad"}, b"", "Invalid connection_id"),
        ({"Compression": "3"}, b"", "unsupported compression 3"),
        ({"Compression": "7"}, b"", "unsupported compression 7"),
        ({"Compression": "1"}, b"not zlib", "cannot decompress"),
        ({"MD5Compressed": "0" * 32}, None, "MD5 mismatch"),
        ({"MD5Plain": "0" * 32}, None, "MD5 mismatch"),
        ({"SizeCompressed": "1"}, None, "SizeCompressed mismatch"),
        ({"SizePlain": "1"}, None, "SizePlain mismatch"),
        ({"Receivers": "2"}, None, "Receivers does not match"),
    ],
)
async def test_refusals_in_spec_order(
    api: httpx.AsyncClient, fields: dict[str, str], uploaded: bytes | None, reason: str
) -> None:
    base, good = form(b"1;0712345678;numeric;x;0")
    text = await post(api, {**base, **fields}, good if uploaded is None else uploaded)
    assert text.startswith("ERROR;")
    assert reason in text


async def test_missing_package(api: httpx.AsyncClient) -> None:
    fields, _ = form(b"1;0712345678;numeric;x;0")
    assert "no Package file" in await post(api, fields, None)


@pytest.mark.parametrize(
    "package",
    [
        b"1;0712345678;numeric;x",
        b"a;0712345678;numeric;x;0",
        b"1;0712345678;numeric;x;soon",
        b"\xff;0712345678;numeric;x;0",
        b"\r\n",
    ],
)
async def test_malformed_packages(api: httpx.AsyncClient, package: bytes) -> None:
    fields, uploaded = form(package, "0", Receivers="1")
    assert (await post(api, fields, uploaded)).startswith("ERROR;8;Invalid package.")


async def test_size_plain_in_characters_is_a_switch(api: httpx.AsyncClient, sim: Any) -> None:
    package = "1;0712345678;numeric;ăîș;0".encode()
    fields, uploaded = form(package, SizePlain=str(len(package.decode())))
    assert (await post(api, fields, uploaded)).startswith("MESSAGE;")
    sim.faults["bulk_size_plain"] = "bytes"
    assert "SizePlain mismatch" in await post(api, fields, uploaded)


async def test_lzf_when_switched_on(api: httpx.AsyncClient, sim: Any) -> None:
    plain = b"1;0712345678;numeric;abcabc;0"
    # A literal run of the first 24 bytes, a 3-byte back-reference, then the rest literally.
    literal = plain[:24]
    compressed = bytes([len(literal) - 1]) + literal + bytes([0x20, 2]) + bytes([1]) + plain[27:]
    assert lzf_decompress(compressed) == plain
    sim.faults["bulk_lzf"] = True
    text = await post(api, *form(plain, "3", compressed))
    assert text.endswith(":3")
    assert sim.account.messages[220000000].text == "abcabc"


@pytest.mark.parametrize("data", [b"\x05ab", b"\xe0", b"\x20", b"\x00a\x20\x05", b"\x00a\xe0\x01"])
def test_lzf_refuses_broken_streams(data: bytes) -> None:
    with pytest.raises(LzfError):
        lzf_decompress(data)


def test_lzf_long_match() -> None:
    # "a", then a match of 7 + 1 + 2 = 10 bytes at distance 1.
    assert lzf_decompress(b"\x00a\xe0\x01\x00") == b"a" * 11
