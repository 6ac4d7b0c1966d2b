"""Text planning and number hygiene: table cases from GSM 03.38 / 3GPP 23.040, then properties."""

import contextlib

from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.errors import InvalidInputError
from custom_components.sms_gateway.providers.text import (
    GSM7_MULTI,
    GSM7_SINGLE,
    MAX_SEGMENTS,
    MAX_TEXT_BYTES,
    UCS2_MULTI,
    UCS2_SINGLE,
    Encoding,
    TextPlan,
    is_gsm7,
    mask_number,
    normalise_number,
    plan_text,
)

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"
EMOJI = "\U0001f600"


def test_constants_match_the_standard_and_the_gateway() -> None:
    assert (GSM7_SINGLE, GSM7_MULTI, UCS2_SINGLE, UCS2_MULTI) == (160, 153, 70, 67)
    assert (MAX_TEXT_BYTES, MAX_SEGMENTS) == (1500, 10)
    assert len(GSM_BASIC) == 127  # 128 codes, less the escape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a" * 160, TextPlan(Encoding.GSM7, 160, 1), id="ascii-160"),
        pytest.param("a" * 161, TextPlan(Encoding.GSM7, 161, 2), id="ascii-161"),
        pytest.param("a" * 306, TextPlan(Encoding.GSM7, 306, 2), id="ascii-306"),
        pytest.param("a" * 307, TextPlan(Encoding.GSM7, 307, 3), id="ascii-307"),
        pytest.param("ă" * 70, TextPlan(Encoding.UCS2, 70, 1), id="ucs2-70"),
        pytest.param("ă" * 71, TextPlan(Encoding.UCS2, 71, 2), id="ucs2-71"),
        pytest.param("ă" * 134, TextPlan(Encoding.UCS2, 134, 2), id="ucs2-134"),
        pytest.param("ă" * 135, TextPlan(Encoding.UCS2, 135, 3), id="ucs2-135"),
        pytest.param("ă" * 670, TextPlan(Encoding.UCS2, 670, 10), id="ucs2-670-is-the-max"),
        pytest.param("€", TextPlan(Encoding.GSM7, 2, 1), id="euro-counts-2"),
        pytest.param("€" * 80, TextPlan(Encoding.GSM7, 160, 1), id="euro-80-fits-one"),
        pytest.param("a" * 159 + "€", TextPlan(Encoding.GSM7, 161, 2), id="euro-tips-over"),
        pytest.param(GSM_EXTENSION, TextPlan(Encoding.GSM7, 20, 1), id="whole-extension"),
        pytest.param(EMOJI, TextPlan(Encoding.UCS2, 2, 1), id="emoji-counts-2"),
        pytest.param("a" * 69 + EMOJI, TextPlan(Encoding.UCS2, 71, 2), id="emoji-tips-over"),
        pytest.param("Bună ziua, îți scriu ș și ț", TextPlan(Encoding.UCS2, 27, 1), id="ro"),
        pytest.param("ΔΦΓΛΩΠΨΣΘΞ", TextPlan(Encoding.GSM7, 10, 1), id="greek-basic"),
        pytest.param("Ça coûte 5 €", TextPlan(Encoding.UCS2, 12, 1), id="u-circumflex-not-gsm"),
        pytest.param("Ça côute", TextPlan(Encoding.UCS2, 8, 1), id="o-circumflex-not-gsm"),
        pytest.param("Zürich à 5 €", TextPlan(Encoding.GSM7, 13, 1), id="gsm-accents"),
        pytest.param("  hi  ", TextPlan(Encoding.GSM7, 6, 1), id="spaces-count"),
    ],
)
def test_plan_table(text: str, expected: TextPlan) -> None:
    assert plan_text(text) == expected


def test_escape_pair_is_not_split_across_segments() -> None:
    # 306 septets divide into 2 segments, but the escape pair cannot straddle 152|153.
    text = "a" * 152 + "€" + "a" * 152
    assert plan_text(text) == TextPlan(Encoding.GSM7, 306, 3)
    # Moved one place earlier the pair fits exactly, and two segments suffice.
    assert plan_text("a" * 151 + "€" + "a" * 153).segments == 2


def test_surrogate_pair_is_not_split_across_segments() -> None:
    text = "a" * 66 + EMOJI + "a" * 66
    assert plan_text(text) == TextPlan(Encoding.UCS2, 134, 3)
    assert plan_text("a" * 65 + EMOJI + "a" * 67).segments == 2


def test_forced_encodings() -> None:
    assert plan_text("hello", Encoding.UCS2) == TextPlan(Encoding.UCS2, 5, 1)
    assert plan_text("{x}", Encoding.UCS2) == TextPlan(Encoding.UCS2, 3, 1)
    assert plan_text("{x}", Encoding.GSM7) == TextPlan(Encoding.GSM7, 5, 1)
    with pytest.raises(InvalidInputError, match="GSM 7-bit"):
        plan_text("ăla", Encoding.GSM7)


@pytest.mark.parametrize("text", ["", " ", "\n\t  \r"])
def test_empty_text_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        plan_text(text)


def test_byte_limit_counts_utf8_bytes() -> None:
    # 500 euro signs: 1500 bytes, 1000 septets, 7 segments: allowed; one more byte is not.
    assert plan_text("€" * 500) == TextPlan(Encoding.GSM7, 1000, 7)
    with pytest.raises(InvalidInputError, match="1500 bytes"):
        plan_text("€" * 500 + "a")
    assert plan_text("a" * 1500).segments == 10
    with pytest.raises(InvalidInputError, match="1500 bytes"):
        plan_text("a" * 1501)


def test_segment_limit() -> None:
    # 671 two-byte characters are only 1342 bytes, but need 11 UCS-2 segments.
    with pytest.raises(InvalidInputError, match="11 SMS"):
        plan_text("ă" * 671)
    with pytest.raises(InvalidInputError, match="SMS"):
        plan_text("a" * 671, Encoding.UCS2)


def test_unpaired_surrogate_refused() -> None:
    with pytest.raises(InvalidInputError, match="surrogate"):
        plan_text("hi \ud83d there")


def test_is_gsm7() -> None:
    assert is_gsm7(GSM_BASIC + GSM_EXTENSION)
    assert is_gsm7("")
    for char in ["ă", "ș", "ț", "î", "â", "ç", "`", "\t", EMOJI, "\x1b", "Α"]:  # noqa: RUF001
        assert not is_gsm7(char), repr(char)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+40 712-345.678", "+40712345678"),
        ("(0721) 234/567", "0721234567"),
        ("0040 712 345 678", "0040712345678"),
        ("  10086 ", "10086"),
        ("6717", "6717"),
        ("123", "123"),
        ("+\u00a040\u00a0712", "+40712"),
        ("1" * 24, "1" * 24),
        ("+" + "1" * 23, "+" + "1" * 23),
    ],
)
def test_normalise_number(raw: str, expected: str) -> None:
    assert normalise_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("  - ", "empty"),
        ("+", "empty"),
        ("12", "fewer than 3"),
        ("+1 2", "fewer than 3"),
        ("0721 ABC 567", "other than digits"),
        ("++40712345678", "other than digits"),
        ("40+712345678", "other than digits"),
        ("0721#567", "other than digits"),
        ("٠٧٢١٢٣٤٥٦٧", "other than digits"),
        ("1" * 25, "24 bytes"),
        ("+" + "1" * 24, "24 bytes"),
    ],
)
def test_normalise_number_refuses(raw: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        normalise_number(raw)


@pytest.mark.parametrize(
    "raw", ["+40 712 345 6x89", "+4071234567890123456789012", "0721-345-678-ABC"]
)
def test_number_errors_do_not_echo_the_number(raw: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normalise_number(raw)
    message = str(caught.value)
    compact = raw.replace(" ", "").replace("-", "")
    assert compact not in message
    assert compact[3:-2] not in message


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+40712345689", "+40*******89"),
        ("+40 712 345 689", "+40*******89"),
        ("10086", "***86"),
        ("6717", "****"),
        ("", ""),
        ("1" * 100, "111" + "*" * 16 + "11"),
    ],
)
def test_mask_number(number: str, masked: str) -> None:
    assert mask_number(number) == masked


# -- properties -----------------------------------------------------------------------------------

any_encoding = st.sampled_from([None, Encoding.GSM7, Encoding.UCS2])
gsm_text = st.text(alphabet=GSM_BASIC + GSM_EXTENSION, max_size=1600)
mixed_text = st.text(alphabet=st.sampled_from([*"aZ €{", "ă", EMOJI, "ش"]), max_size=900)


def _capacity(encoding: Encoding) -> tuple[int, int]:
    if encoding is Encoding.GSM7:
        return GSM7_SINGLE, GSM7_MULTI
    return UCS2_SINGLE, UCS2_MULTI


@given(text=st.one_of(gsm_text, mixed_text), encoding=st.sampled_from(list(Encoding)))
def test_segments_monotonic_in_length(text: str, encoding: Encoding) -> None:
    if encoding is Encoding.GSM7 and not is_gsm7(text):
        encoding = Encoding.UCS2
    previous = 0
    for end in range(1, len(text) + 1, max(1, len(text) // 40)):
        prefix = text[:end]
        try:
            segments = plan_text(prefix, encoding).segments
        except InvalidInputError:
            if prefix.strip():
                break  # over a limit: every longer prefix is over it too
            continue
        assert segments >= previous
        previous = segments


with_surrogates = st.text(
    alphabet=st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
)


@given(text=st.one_of(st.text(), with_surrogates), encoding=any_encoding)
def test_plan_never_raises_anything_else(text: str, encoding: Encoding | None) -> None:
    with contextlib.suppress(InvalidInputError):
        assert isinstance(plan_text(text, encoding), TextPlan)


@given(text=st.one_of(gsm_text, mixed_text, st.text(max_size=200)))
def test_gsm7_chosen_iff_is_gsm7(text: str) -> None:
    try:
        plan = plan_text(text)
    except InvalidInputError:
        return
    assert (plan.encoding is Encoding.GSM7) == is_gsm7(text)


@given(text=st.one_of(gsm_text, mixed_text), encoding=any_encoding)
def test_units_within_segment_capacity(text: str, encoding: Encoding | None) -> None:
    try:
        plan = plan_text(text, encoding)
    except InvalidInputError:
        return
    single, multi = _capacity(plan.encoding)
    assert 1 <= plan.segments <= MAX_SEGMENTS
    assert plan.units >= len(text)
    if plan.segments == 1:
        assert plan.units <= single
    else:
        assert single < plan.units <= plan.segments * multi
        # Filling wastes at most one unit per full segment (a pair that did not fit).
        assert plan.units >= (plan.segments - 1) * (multi - 1) + 1


number_like = st.text(alphabet="0123456789+-. ()/aZ#*\u00a0\t", max_size=40)


@given(raw=st.one_of(number_like, st.text()))
def test_normalise_number_idempotent_and_only_invalid_input(raw: str) -> None:
    try:
        once = normalise_number(raw)
    except InvalidInputError:
        return
    assert normalise_number(once) == once
    assert once.lstrip("+").isdigit()
    assert once.isascii()
    assert len(once.encode()) <= 24
