"""Money amounts in operator texts: one number read in any common style, or a USSD balance reply.

`parse_number` reads one number written with grouping ("1 234", "1.234", "1,234", "1'234", also
with a no-break or thin space) and a decimal comma or dot. A separator is a grouping one when it
repeats, or when it is the only separator and exactly three digits follow it ("1.234" is 1234,
"0.500" is 0.5 because a group cannot start with 0); otherwise the last "." or "," is the decimal
one. Groups after the first have exactly three digits, the first one to three: anything else is not
a number (None), never a guess.

`find_balance` picks the balance out of a whole reply. USSD codes, dates, times, phone numbers,
menu item numbers and quantities of something else (days, minutes, SMS, MB, %) are never the
amount. Of the numbers left, one after a balance word ("balance", "credit", "sold", "saldo",
"Guthaben", ...) and next to a currency wins, then one after a balance word, then one next to a
currency, then any other number written with a separator ("1 234,50", "12.50"; a bare "3" with
nothing around it saying money is not an amount); the first in the text among equals. A number
whose nearest word says it is something else (a bonus, a recharge, a cost, an error code, a
validity) is never the balance. Nothing left: None.

Every pattern here runs in linear time, so a long or hostile reply cannot stall the event loop.
"""

from __future__ import annotations

import re
from typing import Final

_SPACES: Final = " \u00a0\u2007\u2009\u202f"  # space, no-break, figure, thin, narrow no-break
_APOSTROPHES: Final = "'\u2019"
_MINUS: Final = "-\u2212"
_MAX_LEAD_DIGITS: Final = 3
_GROUP_DIGITS: Final = 3

# One number: digits, each further group after ".", ",", an apostrophe, or a space-like separator
# when exactly three digits follow it (so "5 100" is one number but "Top 5 10 SMS" two). Not a
# continuation of a number already read; a minus sign only when no word character comes before it.
_NUMBER: Final = re.compile(
    rf"(?:(?<!\w)(?P<sign>[{_MINUS}]))?(?<![0-9])(?<![0-9][.,{_APOSTROPHES}])"
    rf"(?P<body>[0-9]+(?:(?:[.,{_APOSTROPHES}]|[{_SPACES}](?=[0-9]{{3}}(?![0-9])))[0-9]+)*)"
)
_SEPARATOR: Final = re.compile(rf"([.,{_APOSTROPHES}{_SPACES}])")

_MONTHS: Final = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "ianuarie|februarie|martie|aprilie|mai|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|"
    "janvier|f[ée]vrier|mars|avril|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre|"
    "januar|februar|m[äa]rz|maerz|juni|juli|oktober|dezember|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    "diciembre|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ian|iun|iul|noi|janv|f[ée]vr|avr|juil|"
    "d[ée]c|okt|dez|ene|abr|ago|dic"
)
_NOT_LETTER_NEXT: Final = r"(?![^\W\d_])"
_NOT_LETTER_BEFORE: Final = r"(?<![^\W\d_])"

# What is never an amount, blanked out before numbers are read.
_NOT_AMOUNTS: Final = (
    # USSD codes: *100#, #123#, *100*2#, *#06# (only from the start of a run of * and #).
    re.compile(r"(?<![*#])[*#]+[0-9][0-9*#]*"),
    # International phone numbers: +40712345678, +40 21 123 4567.
    re.compile(r"\+[0-9]{6,15}(?![0-9])|\+[0-9]{1,3}(?:[ .-][0-9]{2,4}){2,5}(?![0-9])"),
    # Numeric dates: 2026-12-31, 2026/12/31, 31.12.2026, 31/12/26, 12-05-2026, 31/12.
    re.compile(
        r"(?<![0-9.,/-])"
        r"(?:[0-9]{4}([./-])[0-9]{1,2}\1[0-9]{1,2}"
        r"|[0-9]{1,2}([./-])[0-9]{1,2}\2(?:[0-9]{4}|[0-9]{2})"
        r"|[0-9]{1,2}/[0-9]{1,2})"
        r"(?![0-9]|[.,/-][0-9])"
    ),
    # Dates with a month name: "31 decembrie 2026", "5 mai", "le 1er juin", "December 31, 2026".
    re.compile(
        rf"(?<![0-9.,])[0-9]{{1,2}}(?:st|nd|rd|th|er)?\.?[ \t]+(?:de[ \t]+)?(?:{_MONTHS})"
        rf"{_NOT_LETTER_NEXT}\.?(?:,?[ \t]+(?:de[ \t]+)?[0-9]{{4}}(?![0-9]))?",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_NOT_LETTER_BEFORE}(?=[a-z])(?:{_MONTHS}){_NOT_LETTER_NEXT}\.?[ \t]+[0-9]{{1,2}}"
        r"(?:st|nd|rd|th)?,?[ \t]+[0-9]{4}(?![0-9])",
        re.IGNORECASE,
    ),
    # Times: 23:59, 23:59:59, 14h30.
    re.compile(r"(?<![0-9.,:])[0-9]{1,2}[:h][0-9]{2}(?::[0-9]{2})?(?![0-9])"),
    # Menu item numbers at the start of a line: "1. Sold", "2) Oferte".
    re.compile(r"^[ \t]*[0-9]{1,2}[.)](?=[ \t]*[^\W\d_])", re.MULTILINE),
    # National phone numbers, IDs and other long digit runs: 0712345678, 8551234567890.
    re.compile(rf"(?<![0-9.,{_APOSTROPHES}])(?:0[0-9]{{8,}}|[0-9]{{10,}})(?![0-9])"),
)
_BLANK: Final = "\x00"

# A quantity of something other than money right after the number: "30 days", "100 de minute",
# "500 MB", "4G", "50%", and a rate such as "0,05 EUR/min" (see _is_rate).
_QUANTITY: Final = re.compile(
    rf"[{_SPACES}\t]*(?:%|(?:de[ \t]+)?(?:"
    r"kb|mb|gb|tb|ko|mo|go|kbps|mbps|g|sms|mms|mesaje|messages?|msgs?|"
    r"mins?|minutes?|minute|minutos|minuten|secs?|seconds?|secunde|"
    r"days?|zile|zi|jours?|j|tage?n?|d[íi]as?|hours?|hrs?|h|ore|heures?|stunden|std|"
    r"weeks?|s[ăa]pt[ăa]m[âa]ni|semaines?|wochen|semanas|"
    r"months?|luni|lun[ăa]|mois|monate?n?|monat|meses|mes|years?|ani|ans?|jahre?n?|a[ñn]os?|"
    rf"pts|points?|puncte){_NOT_LETTER_NEXT})",
    re.IGNORECASE,
)

_CURRENCY_SYMBOLS: Final = "€$£¥₹៛₦₫฿₱₺₽₴₩₪₸₲₵₡₭₮₨₼₾"
# Currency codes and names, one currency a line, written next to an amount (any case).
_CURRENCY_NAMES: Final = (
    "eur|euro|euros",
    "usd|dollar|dollars|dolares|dólares",
    "ron|lei|leu",
    "mad|dh|dhs|dirham|dirhams",
    "khr|riel|riels",
    "gbp|pound|pounds",
    "chf|franc|francs",
    "mdl",
    "bgn",
    "huf",
    "pln|zł|zl",
    "czk|kč|kc",
    "tnd|dt",
    "dzd",
    "xof|xaf|fcfa|cfa",
    "ngn",
    "kes|ksh",
    "inr|rs|rupee|rupees",
    "vnd",
    "thb",
    "idr|rp",
    "myr",
    "rub",
    "uah",
    "brl",
    "mxn|ars|cop|clp|peso|pesos",
    "egp",
    "sar",
    "aed",
    "qar",
    "kwd",
    "jod",
    "lbp",
    "zar",
    "cad|aud|nzd|sgd|hkd",
    "jpy|yen",
    "cny|rmb|yuan",
)
_CURRENCY_WORDS: Final = frozenset(word for names in _CURRENCY_NAMES for word in names.split("|"))
_CURRENCY_AFTER: Final = re.compile(
    rf"[{_SPACES}]*(?:[{_CURRENCY_SYMBOLS}]|"
    rf"(?:{'|'.join(sorted(_CURRENCY_WORDS, key=lambda word: (-len(word), word)))})"
    rf"{_NOT_LETTER_NEXT})",
    re.IGNORECASE,
)
_LOOK_BACK: Final = 16  # characters; a currency word is shorter, spaces before a number fewer
_RATE: Final = re.compile(r"[ \t]*/")

# The words that say what a number is. "balance": the amount sought. "other": an amount of
# something else (a bonus, a recharge, a cost) or no amount at all (an error code). "validity": a
# date or a duration, so not an amount when the number follows it in the same sentence.
_WORDS: Final = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:"
    r"(?P<balance>balan|bal(?![^\W\d_])|credit|cr[ée]dit|sold|saldo|guthaben|kontostand|"
    r"rest|r[ăa]mas|remaining|left|disponib)"
    r"|(?P<other>bonus|bono|gratuit|gratis|free|gift|cadou|cadeau|geschenk|regalo|promo|"
    r"offert|extra|recharg|re[îi]nc[ăa]rc|top.?up|aufgeladen|aufladung|recarg|cost|co[ûu]t|"
    r"kosten|tarif|price|pre[țţt]|prix|preis|charged|deducted|debited|last|derni|ultim|"
    r"letzte|error|eroare|erreur|fehler|code|cod(?![^\W\d_]))"
    r"|(?P<validity>valid|valab|g[üu]ltig|v[áa]lid|expir|caduc|until|till|p[âa]n[ăa]|jusqu|"
    r"bis(?![^\W\d_])|hasta|before|avant|[îi]nainte))"
    r"[^\W\d_]*",
    re.IGNORECASE,
)
# Where a sentence or clause ends: a word for something else does not reach past it, nor does a
# number's look ahead for a word that names it ("You have 5 EUR left.").
_SENTENCE_ENDS: Final = ".;!?"
_CLAUSE_END: Final = re.compile(rf"[.,;:!?()\n{_BLANK}]")

_RANK_BALANCE: Final = 2
_RANK_CURRENCY: Final = 1


def parse_number(text: str) -> float | None:
    """Read text that is one number and nothing else (spaces around it allowed), or None."""
    stripped = text.strip(_SPACES + "\t\r\n")
    match = _NUMBER.fullmatch(stripped)
    if match is None:
        return None
    return _number_value(match)


def amount_in(text: str) -> float | None:
    """Read the first number in an amount text, past codes, dates, times and phone numbers.

    For the text a user's own pattern found: its first number is the amount, and one that is
    not a valid number gives None rather than a guess at the next one.
    """
    match = _NUMBER.search(_blank_non_amounts(text))
    return None if match is None else _number_value(match)


def find_balance(reply: str) -> float | None:
    """Pick the balance out of a USSD reply (see the module's rules), or None when it holds none."""
    text = _blank_non_amounts(reply)
    numbers = list(_NUMBER.finditer(text))
    best: float | None = None
    best_rank = -1
    previous_end = 0
    for index, match in enumerate(numbers):
        before = text[previous_end : match.start()]
        previous_end = match.end()
        value = _number_value(match)
        if value is None or _is_quantity(text, match.end()) or _is_rate(text, match.end()):
            continue
        next_start = numbers[index + 1].start() if index + 1 < len(numbers) else len(text)
        after = text[match.end() : next_start]
        kind = _word_before(before) or _word_after(after)
        if kind is not None and kind != "balance":
            continue
        rank = (_RANK_BALANCE if kind == "balance" else 0) + (
            _RANK_CURRENCY if _has_currency(text, match) else 0
        )
        if rank == 0 and _SEPARATOR.search(match.group("body")) is None:
            continue  # a bare whole number with nothing to say it is money: "Oferta 3"
        if rank > best_rank:
            best, best_rank = value, rank
    return best


def _blank_non_amounts(text: str) -> str:
    """Blank out codes, dates, times, phone numbers and menu numbers, keeping every position."""
    for pattern in _NOT_AMOUNTS:
        text = pattern.sub(lambda found: _BLANK * len(found.group(0)), text)
    return text


def _number_value(match: re.Match[str]) -> float | None:
    value = _body_value(match.group("body"))
    if value is None or match.group("sign") is None:
        return value
    return -value if value else 0.0


def _body_value(body: str) -> float | None:
    """Digits and separators to a number, deciding which separator is the decimal one."""
    parts = _SEPARATOR.split(body)
    groups = parts[0::2]
    separators = [_separator_kind(separator) for separator in parts[1::2]]
    if not separators:
        return float(body)
    last = separators[-1]
    fraction = ""
    if last in ".," and separators.count(last) == 1:
        grouping_alone = (
            len(separators) == 1 and len(groups[-1]) == _GROUP_DIGITS and _is_lead_group(groups[0])
        )
        if not grouping_alone:
            fraction = groups.pop()
            separators.pop()
    if separators and not _is_grouped(groups, separators):
        return None
    whole = "".join(groups)
    return float(f"{whole}.{fraction}" if fraction else whole)


def _separator_kind(separator: str) -> str:
    if separator in _SPACES:
        return " "
    if separator in _APOSTROPHES:
        return "'"
    return separator


def _is_lead_group(group: str) -> bool:
    return len(group) <= _MAX_LEAD_DIGITS and not group.startswith("0")


def _is_grouped(groups: list[str], separators: list[str]) -> bool:
    """One grouping character throughout, a first group of 1 to 3 digits, then groups of 3."""
    return (
        len(set(separators)) == 1
        and _is_lead_group(groups[0])
        and all(len(group) == _GROUP_DIGITS for group in groups[1:])
    )


def _is_quantity(text: str, end: int) -> bool:
    return _QUANTITY.match(text, end) is not None


def _is_rate(text: str, end: int) -> bool:
    """Tell a price per something ("0,05 EUR/min", "1 leu/zi", "0.10/SMS") from an amount."""
    currency = _CURRENCY_AFTER.match(text, end)
    return _RATE.match(text, end if currency is None else currency.end()) is not None


def _has_currency(text: str, match: re.Match[str]) -> bool:
    """Tell whether a currency comes right after the number ("2.15$") or right before ("€ 5")."""
    if _CURRENCY_AFTER.match(text, match.end()) is not None:
        return True
    end = match.start()
    while end > 0 and text[end - 1] in _SPACES + ":" and match.start() - end < _LOOK_BACK:
        end -= 1
    if end > 0 and text[end - 1] in _CURRENCY_SYMBOLS:
        return True
    if end > 0 and text[end - 1] == ".":  # "Rs. 100"
        end -= 1
    start = end
    while start > 0 and text[start - 1].isalpha() and end - start < _LOOK_BACK:
        start -= 1
    return text[start:end].casefold() in _CURRENCY_WORDS


def _word_before(before: str) -> str | None:
    """Name the kind of the last telling word before the number (since the previous number).

    A word for something else counts only within the number's own sentence ("Bonus expirat. Ai
    5 EUR" leaves the 5 an amount), a validity word only within its own line too ("Valabil 30
    zile" above "5,00 EUR").
    """
    sentence_start = max(before.rfind(end) for end in _SENTENCE_ENDS)
    line_start = max(sentence_start, before.rfind("\n"))
    kind: str | None = None
    for word in _WORDS.finditer(before):
        found = word.lastgroup
        if (
            found == "balance"
            or (found == "other" and word.start() > sentence_start)
            or word.start() > line_start
        ):
            kind = found
    return kind


def _word_after(after: str) -> str | None:
    """Name the kind of the first telling word after the number in its clause ("5 EUR credit")."""
    end = _CLAUSE_END.search(after)
    clause = after if end is None else after[: end.start()]
    for word in _WORDS.finditer(clause):
        if word.lastgroup != "validity":
            return word.lastgroup
    return None
