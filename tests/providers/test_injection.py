"""Awkward text, numbers and senders reach each simulator exactly as asked, or are refused first.

Every case goes over real sockets and is compared with what the simulator recorded. Where a
provider has two ways to send (SMSLink single and BULK v3, Plasgate send and batch-send, a Dinstar
request with several recipients) both must deliver the same text, or both refuse it.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from custom_components.sms_gateway.providers.errors import InvalidInputError
from custom_components.sms_gateway.providers.plasgate import PlasgateClient
from custom_components.sms_gateway.providers.smslink import SmsLinkClient
from custom_components.sms_gateway.providers.smslink.package import PackageLine, build_upload
from simulators.plasgate.settings import PlasgateSettings
from simulators.smslink.bulk import parse_package, unescape
from simulators.smslink.settings import SmsLinkSettings
from tests.conftest import RunningDinstar, RunningPlasgate, RunningSmsLink


async def refused(*calls: Callable[[], Awaitable[Any]], match: str | None = None) -> None:
    """Each way of sending refuses as invalid input (the caller checks that nothing went out)."""
    for call in calls:
        with pytest.raises(InvalidInputError, match=match):
            await call()


# Texts every service carries unchanged, whichever way it is sent.
CARRIED = {
    "semicolons": "a;b;;c;",
    "double-quotes": 'say "hi" ""',
    "single-quotes": "it's 'quoted'",
    "backslashes": "C:\\path\\n \\\\ \\u0041 \\",
    "json-breakout": '","to":"0000","x":"',
    "form-breakout": "a&password=x&to=0711111111=%26",
    "line-feeds": "one\ntwo\n\nthree",
    "leading-and-trailing-lf": "\nin the middle\n",
    "padding": "   padded both sides  ",
    "form-feed": "page\fbreak",
    "unicode-line-separators": "\u2028para\u2029graph\u2028",
    "nbsp-padding": "\u00a0kept\u00a0",
    "percent-signs": "100% of 50%OFF %4 %41 %0 %3",
    "plus-and-hash": "+40 #1 a+b=c ?x",
    "dinstar-placeholder-free": "#para# #param",
    "cyrillic": "Привет, мир! Ёё",
    "arabic": "مرحبا بالعالم ٠١٢٣",
    "cjk": "你好\uff0c世界。日本語の文章",
    "emoji": "👍🏽 👨\u200d👩\u200d👧 🇷🇴",
    "combining-marks": "e\u0301 a\u0308 s\u0327 Z\u0338\u0336",
    "bidi-and-bom": "\u200f\u05e9\u05dc\u05d5\u05dd\u200e \ufeffx",
}
# Control characters no service is asked to take (NUL, ESC, DEL, C1 NEL), and lone surrogates.
REFUSED_EVERYWHERE = {
    "nul": "a\x00b",
    "escape": "a\x1b[31mred",
    "delete": "a\x7fb",
    "bell": "ding\x07",
    "next-line-c1": "a\x85b",
    "lone-surrogate": "half \ud83d",
    "blank": " \n ",
}
# What SMSLink's BULK format cannot carry: refused on both SMSLink paths, carried by the others.
SMSLINK_REFUSED = {
    "carriage-return": "a\rb",
    "crlf": "one\r\ntwo",
    "tab": "col1\tcol2",
    "escape-lookalike-lf": "100%0A",
    "escape-lookalike-semicolon": "x %3b y",
}

SMSLINK_NUMBER = "+40 712 345 678"
SMSLINK_NUMBERS = ["0712 345 678", "+44 7700 900123"]
BAD_NUMBERS = {
    "semicolon": "0712345678;0722222222",
    "comma": "0712345678,0722222222",
    "quote": '0712345678"',
    "apostrophe": "0712345678'",
    "backslash": "0712\\345678",
    "nul": "0712\x00345678",
    "json": '{"to":"0712345678"}',
    "arabic-indic-digits": "٠٧١٢٣٤٥٦٧٨",
    "fullwidth-digits": "".join(chr(0xFF10 + int(digit)) for digit in "0712345678"),
    "letters": "07123456ab",
}


def ids(table: dict[str, str]) -> list[Any]:
    return [pytest.param(value, id=name) for name, value in table.items()]


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# --- SMSLink -------------------------------------------------------------------------------------

SMSLINK_SENDERS = {
    "numeric": "numeric",
    "inner-space": "My Shop",
    "punctuation": "A.B&C_D+E-F",
    "long-numeric": "123456789012345",
}
SMSLINK_BAD_SENDERS = {
    "semicolon": "a;b",
    "double-quote": 'a"b',
    "apostrophe": "a'b",
    "backslash": "a\\b",
    "cr": "a\rb",
    "lf": "a\nb",
    "crlf": "a\r\nb",
    "tab": "a\tb",
    "nul": "a\x00b",
    "cyrillic": "Магазин",
    "arabic": "متجر",
    "cjk": "商店",
    "emoji": "shop😀",
    "combining": "Cafe\u0301",
    "leading-space": " Shop",
    "trailing-space": "Shop ",
    "blank": "   ",
    "too-long": "TwelveLetter",
}


@pytest.fixture
def smslink_settings() -> SmsLinkSettings:
    approved = dict.fromkeys([*SMSLINK_SENDERS.values(), "Shop"], "approved")
    return SmsLinkSettings(senders=approved)


@pytest.fixture
def smslink(
    smslink_simulator: RunningSmsLink, http_session: aiohttp.ClientSession
) -> SmsLinkClient:
    return SmsLinkClient(http_session, "demo", "demo", base_url=smslink_simulator.url, timeout=5)


def smslink_recorded(sim: Any, message_id: int | None) -> tuple[str, str, str]:
    assert message_id is not None
    message = sim.account.messages[message_id]
    return message.to, message.sender, message.text


@pytest.mark.parametrize("text", ids(CARRIED))
async def test_smslink_single_and_bulk_deliver_the_text_unchanged(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink, text: str
) -> None:
    sim = smslink_simulator.sim
    single = await smslink.send(SMSLINK_NUMBER, text)
    bulk = await smslink.send_bulk(SMSLINK_NUMBERS, text)

    assert smslink_recorded(sim, single.message_id) == ("0712345678", "numeric", text)
    assert [smslink_recorded(sim, result.message_id) for result in bulk.results] == [
        ("0712345678", "numeric", text),
        ("00447700900123", "numeric", text),
    ]


@pytest.mark.parametrize("text", ids(REFUSED_EVERYWHERE | SMSLINK_REFUSED))
async def test_smslink_refuses_on_both_paths_before_any_request(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink, text: str
) -> None:
    await refused(
        lambda: smslink.send(SMSLINK_NUMBER, text), lambda: smslink.send_bulk(SMSLINK_NUMBERS, text)
    )
    assert not smslink_simulator.sim.log
    assert not smslink_simulator.sim.account.messages


@pytest.mark.parametrize("sender", ids(SMSLINK_SENDERS))
async def test_smslink_senders_arrive_as_given(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink, sender: str
) -> None:
    sim = smslink_simulator.sim
    single = await smslink.send(SMSLINK_NUMBER, "hi", sender=sender)
    bulk = await smslink.send_bulk(SMSLINK_NUMBERS, "hi", sender=sender)

    assert smslink_recorded(sim, single.message_id)[1] == sender
    assert {smslink_recorded(sim, result.message_id)[1] for result in bulk.results} == {sender}


@pytest.mark.parametrize("sender", ids(SMSLINK_BAD_SENDERS))
async def test_smslink_refuses_senders_the_format_cannot_carry(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink, sender: str
) -> None:
    await refused(
        lambda: smslink.send(SMSLINK_NUMBER, "hi", sender=sender),
        lambda: smslink.send_bulk(SMSLINK_NUMBERS, "hi", sender=sender),
        match="sender",
    )
    assert not smslink_simulator.sim.log


@pytest.mark.parametrize("number", ids(BAD_NUMBERS))
async def test_smslink_refuses_numbers_with_anything_but_digits(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink, number: str
) -> None:
    await refused(
        lambda: smslink.send(number, "hi"),
        lambda: smslink.send_bulk([SMSLINK_NUMBER, number], "hi"),
    )
    assert not smslink_simulator.sim.log


async def test_smslink_numbers_keep_their_digits_whatever_the_separators(
    smslink: SmsLinkClient, smslink_simulator: RunningSmsLink
) -> None:
    """Spaces, line breaks and tabs between digits are separators: the digits go as typed."""
    typed = ["0712\r\n345\t678", "(0712) 345-678", "+44\u00a07700.900123"]
    single = await smslink.send(typed[0], "hi")
    bulk = await smslink.send_bulk(typed, "hi")

    sim = smslink_simulator.sim
    assert smslink_recorded(sim, single.message_id)[0] == "0712345678"
    assert [smslink_recorded(sim, result.message_id)[0] for result in bulk.results] == [
        "0712345678",
        "0712345678",
        "00447700900123",
    ]


texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(";%0A3Bb\r\n\t \u2028\u2029\\\"'")
    ),
    min_size=1,
    max_size=60,
)


@given(text=texts)
def test_every_package_text_is_parsed_back_exactly_or_refused(text: str) -> None:
    """The simulator's own parser reads each text back from the package, byte for byte."""
    lines = [PackageLine(1, "0712345678", "numeric", text), PackageLine(2, "0040712", "x", text)]
    try:
        upload = build_upload(lines)
    except InvalidInputError:
        return
    parsed = parse_package(upload.plain)
    assert [(fields[0], fields[1], fields[2]) for fields in parsed] == [
        ("1", "0712345678", "numeric"),
        ("2", "0040712", "x"),
    ]
    assert [unescape(fields[3]) for fields in parsed] == [text, text]


# --- Plasgate ------------------------------------------------------------------------------------

PLASGATE_SENDERS = {
    "semicolon": "a;b",
    "double-quote": 'Say "hi"',
    "apostrophe": "Joe's",
    "backslash": "a\\b\\",
    "json-breakout": '","x":"',
    "cyrillic": "Магазин",
    "arabic": "متجر",
    "cjk": "商店",
    "emoji": "shop😀",
    "combining": "Cafe\u0301",
}
PLASGATE_BAD_SENDERS = {
    "lf": "a\nb",
    "cr": "a\rb",
    "tab": "a\tb",
    "nul": "a\x00b",
    "lone-surrogate": "a\udc00",
    "blank": "  ",
}
PLASGATE_NUMBERS = ["012 345 678", "+855 98 765 432"]


@pytest.fixture
def plasgate_settings() -> PlasgateSettings:
    return PlasgateSettings(senders=["SMS Info", *PLASGATE_SENDERS.values()])


@pytest.fixture
def plasgate(
    plasgate_simulator: RunningPlasgate, http_session: aiohttp.ClientSession
) -> PlasgateClient:
    return PlasgateClient(http_session, "demo", "demo", base_url=plasgate_simulator.url, timeout=5)


def plasgate_recorded(sim: Any) -> list[tuple[str, str, str, str]]:
    return [
        (message.endpoint, message.to, message.sender, message.content)
        for message in sim.api.messages
    ]


@pytest.mark.parametrize("text", ids(CARRIED | SMSLINK_REFUSED))
async def test_plasgate_send_and_batch_deliver_the_text_unchanged(
    plasgate: PlasgateClient, plasgate_simulator: RunningPlasgate, text: str
) -> None:
    await plasgate.send(PLASGATE_NUMBERS[0], text)
    await plasgate.send_batch(PLASGATE_NUMBERS, text)

    assert plasgate_recorded(plasgate_simulator.sim) == [
        ("/rest/send", "85512345678", "SMS Info", text),
        ("/rest/batch-send", "85512345678", "SMS Info", text),
        ("/rest/batch-send", "85598765432", "SMS Info", text),
    ]


@pytest.mark.parametrize("text", ids(REFUSED_EVERYWHERE))
async def test_plasgate_refuses_on_both_paths_before_any_request(
    plasgate: PlasgateClient, plasgate_simulator: RunningPlasgate, text: str
) -> None:
    await refused(
        lambda: plasgate.send(PLASGATE_NUMBERS[0], text),
        lambda: plasgate.send_batch(PLASGATE_NUMBERS, text),
    )
    assert not plasgate_simulator.sim.api.messages
    assert not any(plasgate_simulator.sim.api.request_counts.values())


@pytest.mark.parametrize("sender", ids(PLASGATE_SENDERS))
async def test_plasgate_senders_arrive_as_given(
    plasgate: PlasgateClient, plasgate_simulator: RunningPlasgate, sender: str
) -> None:
    await plasgate.send(PLASGATE_NUMBERS[0], "hi", sender=sender)
    await plasgate.send_batch(PLASGATE_NUMBERS, "hi", sender=sender)

    assert {row[2] for row in plasgate_recorded(plasgate_simulator.sim)} == {sender}
    assert len(plasgate_simulator.sim.api.messages) == 3


@pytest.mark.parametrize("sender", ids(PLASGATE_BAD_SENDERS))
async def test_plasgate_refuses_senders_with_controls(
    plasgate: PlasgateClient, plasgate_simulator: RunningPlasgate, sender: str
) -> None:
    await refused(
        lambda: plasgate.send(PLASGATE_NUMBERS[0], "hi", sender=sender),
        lambda: plasgate.send_batch(PLASGATE_NUMBERS, "hi", sender=sender),
        match="sender",
    )
    assert not plasgate_simulator.sim.api.messages


@pytest.mark.parametrize("number", ids(BAD_NUMBERS))
async def test_plasgate_refuses_numbers_with_anything_but_digits(
    plasgate: PlasgateClient, plasgate_simulator: RunningPlasgate, number: str
) -> None:
    await refused(
        lambda: plasgate.send(number, "hi"),
        lambda: plasgate.send_batch([PLASGATE_NUMBERS[0], number], "hi"),
    )
    assert not plasgate_simulator.sim.api.messages


# --- Dinstar -------------------------------------------------------------------------------------

DINSTAR_NUMBERS = ["0711111111", "+40 722 222 222", "10086"]


@pytest.fixture
def dinstar(
    dinstar_simulator: RunningDinstar, http_session: aiohttp.ClientSession
) -> DinstarClient:
    return DinstarClient(http_session, dinstar_simulator.url, "admin", "admin", timeout=5.0)


def dinstar_recorded(sim: Any) -> list[tuple[str, str]]:
    """Every recipient the gateway took, queued or already sent, by number."""
    taken = [(item.number, item.text) for item in sim.state.queue]
    taken += [(record.number, record.text) for record in sim.state.results]
    return sorted(taken)


@pytest.mark.parametrize("text", ids(CARRIED | SMSLINK_REFUSED))
async def test_dinstar_every_recipient_gets_the_text_unchanged(
    dinstar: DinstarClient, dinstar_simulator: RunningDinstar, text: str
) -> None:
    await dinstar.send_sms(text, DINSTAR_NUMBERS)

    assert dinstar_recorded(dinstar_simulator.sim) == sorted(
        [("0711111111", text), ("+40722222222", text), ("10086", text)]
    )


@pytest.mark.parametrize("text", ids(REFUSED_EVERYWHERE))
async def test_dinstar_refuses_before_any_request(
    dinstar: DinstarClient, dinstar_simulator: RunningDinstar, text: str
) -> None:
    await refused(
        lambda: dinstar.send_sms(text, DINSTAR_NUMBERS),
        lambda: dinstar.send_sms_to(DINSTAR_NUMBERS, text, first_user_id=1),
    )
    assert not dinstar_recorded(dinstar_simulator.sim)


@pytest.mark.parametrize("number", ids(BAD_NUMBERS))
async def test_dinstar_refuses_numbers_with_anything_but_digits(
    dinstar: DinstarClient, dinstar_simulator: RunningDinstar, number: str
) -> None:
    with pytest.raises(InvalidInputError):
        await dinstar.send_sms("hi", [DINSTAR_NUMBERS[0], number])
    assert not dinstar_recorded(dinstar_simulator.sim)
