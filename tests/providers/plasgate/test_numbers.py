"""Plasgate number normalisation (spec §2.7): `855...` digits from any input."""

from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.errors import InvalidInputError
from custom_components.sms_gateway.providers.plasgate.numbers import (
    plasgate_calling_code,
    plasgate_number,
)


@pytest.mark.parametrize(
    ("given_number", "code", "expected"),
    [
        ("+855 12 345 678", "855", "85512345678"),
        ("00855-12-345-678", "855", "85512345678"),
        ("012 345 678", "855", "85512345678"),
        ("0123456789", "855", "855123456789"),
        ("85512345678", "855", "85512345678"),
        ("0712345678", "40", "40712345678"),
        ("0712345678", "+40", "40712345678"),
        ("+40712345678", "855", "40712345678"),
        ("(012) 345.678", "855", "85512345678"),
    ],
)
def test_normalises(given_number, code, expected):
    assert plasgate_number(given_number, code) == expected


@pytest.mark.parametrize(
    "bad", ["", "+", "12a45678", "+12345", "0" + "1" * 15, "+1234567890123456"]
)
def test_refuses(bad):
    with pytest.raises(InvalidInputError) as caught:
        plasgate_number(bad)
    assert "12345678" not in str(caught.value)


@pytest.mark.parametrize("code", ["", "0", "0855", "8555", "x"])
def test_refuses_bad_calling_codes(code):
    with pytest.raises(InvalidInputError):
        plasgate_calling_code(code)


@given(st.from_regex(r"[1-9][0-9]{7,8}", fullmatch=True))
def test_national_and_international_forms_agree(national):
    expected = "855" + national
    assert plasgate_number("0" + national) == expected
    assert plasgate_number("+855" + national) == expected
    assert plasgate_number("00855" + national) == expected
    assert plasgate_number(expected) == expected
