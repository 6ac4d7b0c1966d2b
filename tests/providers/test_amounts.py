"""Amounts in operator texts: one number in every supported style, then a balance in a reply.

The whole-reply table (what the README promises) is in tests/integration/test_balance.py, through
the integration's own `parse_amount`; here are the number reader, the user-pattern reader, the
properties and the hostile inputs.
"""

from decimal import Decimal

from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.amounts import amount_in, find_balance, parse_number

NBSP = "\u00a0"
THIN = "\u2009"
NARROW_NBSP = "\u202f"
MINUS = "\u2212"

GROUPINGS = ["", " ", NBSP, THIN, NARROW_NBSP, ".", ",", "'", "\u2019"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("12.50", 12.5),
        ("12,50", 12.5),
        ("12,5", 12.5),
        ("0,05", 0.05),
        ("1234,50", 1234.5),
        ("1 234,50", 1234.5),
        (f"1{NBSP}234,50", 1234.5),
        (f"1{THIN}234.50", 1234.5),
        (f"1{NARROW_NBSP}234,50", 1234.5),
        ("1.234,50", 1234.5),
        ("1,234.50", 1234.5),
        ("1'234.50", 1234.5),
        ("1\u2019234,50", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1 234 567", 1234567.0),
        # One separator and exactly three digits after it: thousands.
        ("1.234", 1234.0),
        ("1,234", 1234.0),
        ("12,500", 12500.0),
        # ...unless the part before cannot be a group: a group never starts with 0.
        ("0.500", 0.5),
        ("0,516", 0.516),
        # Mixed separators: the last one is the decimal one, whatever follows it.
        ("1.234,567", 1234.567),
        ("12.5000", 12.5),
        ("-5.20", -5.2),
        (f"{MINUS}5,20", -5.2),
        ("-0,00", 0.0),
        ("  7,25 ", 7.25),
        # Not one number: None, never a guess.
        ("1,2.3.4", None),
        ("1.23.456", None),
        ("1,234.567.8", None),
        ("1.234 567,89", None),
        ("1234.567.890", None),
        ("012 345", None),
        ("12 34", None),
        ("12.50 EUR", None),
        ("", None),
        ("-", None),
        ("abc", None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,50 ", 12.5),
        (" 1 234,50 EUR", 1234.5),
        ("credit 4.75", 4.75),
        ("-3,20", -3.2),
        ("*100# 12.50", 12.5),
        ("31.12.2026: 5,00 lei", 5.0),
        ("23:59 5", 5.0),
        ("+40712345678 7 lei", 7.0),
        # The first number is the amount: an unreadable one is not skipped for the next.
        ("1,2.3.4 and 5", None),
        ("n/a", None),
        ("", None),
        ("*100#", None),
        ("31.12.2026", None),
    ],
)
def test_amount_in_reads_the_first_number(text: str, expected: float | None) -> None:
    assert amount_in(text) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        # No balance word: a currency before or after the number decides...
        ("Pachet 2.5 activat. Rs. 250", 250.0),
        ("Pachet 2.5 activat, EUR 4", 4.0),
        ("Pachet 2.5 activat, 4 lei", 4.0),
        ("Pachet 2.5 activat, 4€", 4.0),
        # ...else the first number written with a separator.
        ("Pachet 2.5 activat: 1.234,50", 2.5),
        # A balance word beats a currency, both beat neither.
        ("Ai 3,00 EUR. Sold 4,00", 4.0),
        ("Ai 3,00 EUR. Sold 4,00 EUR", 4.0),
        # A bonus word nearest to each amount: neither is the balance, so none rather than a guess.
        ("Ai 5 EUR bonus si 10 EUR credit", None),
        # Never the amount: a code, a time, ten digits in a row (a phone number).
        ("Sold #123# 5 lei", 5.0),
        ("Sold la 14h30: 5 lei", 5.0),
        ("Sold: 1234567890 lei", None),
        ("Sold: 071234567 lei", None),
        ("Suna la 071234567. Sold 5 lei", 5.0),
    ],
)
def test_what_decides_between_numbers(reply: str, expected: float | None) -> None:
    assert find_balance(reply) == expected


BALANCE_WORDS = [
    "Balance",
    "Bal",
    "Credit",
    "Crédit",
    "Sold",
    "Solde",
    "Soldul",
    "Saldo",
    "Guthaben",
    "Rest",
    "Disponibil",
    "Disponible",
]
OTHER_WORDS = [
    "Bonus",
    "Recharge",
    "Reîncărcare",
    "Cost",
    "Tarif",
    "Last",
    "Error",
    "Eroare",
    "Code",
]
VALIDITY_WORDS = ["Valid", "Valabil", "Valable", "Gültig", "Expire", "Until", "Până"]


@pytest.mark.parametrize("word", BALANCE_WORDS)
def test_a_balance_word_marks_the_amount(word: str) -> None:
    assert find_balance(f"Pachet 2.5 activat. {word}: 3,00") == 3.0


@pytest.mark.parametrize("word", OTHER_WORDS + VALIDITY_WORDS)
def test_a_word_for_something_else_rules_the_number_out(word: str) -> None:
    assert find_balance(f"Pachet 2.5 activat. {word}: 3,00") == 2.5
    assert find_balance(f"{word}: 3,00 EUR") is None


def test_a_word_for_something_else_ends_with_its_sentence() -> None:
    assert find_balance("Valabil 30 de zile. Ai 5,00 EUR") == 5.0
    assert find_balance("Valabil 30 de zile\nAi 5,00 EUR") == 5.0
    assert find_balance("Bonus expirat. Ai 5,00 EUR") == 5.0
    assert find_balance("Your bonus has expired! You have 5.00 EUR") == 5.0
    # A label on its own line still names the amount below it.
    assert find_balance("Bonus:\n5 lei") is None
    assert find_balance("Sold curent:\n15,20 lei\nBonus:\n5 lei") == 15.2


def _format(units: int, decimals: int, grouping: str, decimal: str) -> str:
    """Write units/10**decimals with the given grouping character and decimal separator."""
    whole, fraction = divmod(units, 10**decimals)
    digits = str(whole)
    groups: list[str] = []
    while len(digits) > 3:  # thousands
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    text = grouping.join(groups)
    return f"{text}{decimal}{fraction:0{decimals}d}" if decimals else text


@given(
    units=st.integers(min_value=0, max_value=10**11 - 1),
    decimals=st.integers(min_value=0, max_value=2),
    grouping=st.sampled_from(GROUPINGS),
    decimal=st.sampled_from([".", ","]),
    negative=st.booleans(),
    minus=st.sampled_from(["-", MINUS]),
)
def test_every_supported_style_reads_back(
    units: int, decimals: int, grouping: str, decimal: str, negative: bool, minus: str
) -> None:
    if grouping == decimal:
        decimal = "," if decimal == "." else "."
    units %= 10 ** (9 + decimals)  # ten digits or more in a row read as a phone number
    text = _format(units, decimals, grouping, decimal)
    expected = float(Decimal(units) / 10**decimals)
    if negative and units:
        text, expected = minus + text, -expected
    assert parse_number(text) == expected
    assert amount_in(f"Sold: {text} lei") == expected


REPLY_TEMPLATES = [
    "Sold: {} lei",
    "Credit: {} EUR. Valabil pana la 31.12.2026",
    "Your *100# balance is {} USD, valid till 2026-12-31 23:59",
    "Solde: {} DH. Bonus: 5 Go valable 30 jours",
    "Ihr Guthaben beträgt {} € (Stand 05.12.2026, 14:30 Uhr).",
    "Saldo: € {}",
    "Balance: KHR {}, expire 31/12/2026. Call +85512345678",
    "Bonus 3 EUR. Sold principal {} EUR",
]


@given(
    units=st.integers(min_value=0, max_value=10**11 - 1),
    decimals=st.integers(min_value=0, max_value=2),
    grouping=st.sampled_from(GROUPINGS),
    decimal=st.sampled_from([".", ","]),
    negative=st.booleans(),
    template=st.sampled_from(REPLY_TEMPLATES),
)
def test_every_supported_style_is_found_in_a_reply(
    units: int, decimals: int, grouping: str, decimal: str, negative: bool, template: str
) -> None:
    if grouping == decimal:
        decimal = "," if decimal == "." else "."
    units %= 10 ** (9 + decimals)  # ten digits or more in a row read as a phone number
    text = _format(units, decimals, grouping, decimal)
    expected = float(Decimal(units) / 10**decimals)
    if negative and units:
        text, expected = "-" + text, -expected
    assert find_balance(template.format(text)) == expected


@given(st.text(max_size=300))
def test_any_text_gives_a_number_or_none(text: str) -> None:
    for found in (find_balance(text), amount_in(text)):
        assert found is None or isinstance(found, float)


HOSTILE = [
    "1" * 10_000,
    "1." * 5_000,
    "1," * 5_000,
    "1 " * 5_000,
    f"1{NBSP}" * 5_000,
    "1 234" * 2_000,
    "1 2345 " * 1_430,
    "*#" * 5_000,
    "*1" * 5_000,
    "+4" * 5_000,
    "1-" * 5_000,
    "12:" * 3_333,
    "1/" * 5_000,
    "-" * 10_000,
    " " * 10_000,
    "0" * 10_000,
    "31.12.2026 " * 900,
    "Jan 1, " * 1_400,
    "balance " * 1_250,
    "valid " * 1_666 + "5",
    "bonus 5 EUR " * 800,
    "a" * 10_000,
]


@pytest.mark.parametrize("reply", HOSTILE, ids=lambda reply: repr(reply[:8]))
def test_long_hostile_replies_hold_no_balance(reply: str) -> None:
    """10 kB of repeated trouble: read in linear time (this would hang on a backtracking regex)."""
    assert find_balance(reply) is None


def test_long_reply_still_finds_its_balance() -> None:
    noise = "Oferte: *123# . 30 zile, 500 MB, 31.12.2026 23:59 " * 230
    assert len(noise) > 10_000
    assert find_balance(noise + "Sold: 1.234,50 lei") == 1234.5
    assert find_balance("12.50 EUR " * 1_000) == 12.5
    assert amount_in(" " * 10_000 + "7,25") == 7.25
