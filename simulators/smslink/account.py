"""The SMSLink account the simulator holds (spec §3.2): credit, senders, blacklist, messages.

Numbers, senders and segments are judged here so that index.php, json.php and BULK v3 agree.
"""

from dataclasses import dataclass, field
import math
import re
import time
from typing import Any

NUMERIC_SENDER = "numeric"
ALWAYS_ALLOWED_SENDERS = frozenset({NUMERIC_SENDER, "SMSLink.ro"})
SENDER_STATES = ("approved", "not_activated", "rejected")

_NATIONAL = re.compile(r"07\d{8}")
_INTERNATIONAL = re.compile(r"00[1-9]\d{6,14}")
_ROMANIAN_INTERNATIONAL = re.compile(r"00407\d{8}")
_PLUS = re.compile(r"\+[1-9]\d{6,14}")

# GSM 03.38 basic alphabet and extension table (spec §2.7: concatenated SMS cost per segment).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")


def segments(text: str) -> int:
    """SMS a text costs: GSM 7-bit when every character fits, else UCS-2."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in text):
        units = sum(2 if char in _GSM7_EXTENSION else 1 for char in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


def canonical_number(number: str, *, accept_plus: bool) -> str | None:
    """Return the number as SMSLink takes it (`07…` or `00…`), or None if it is not acceptable."""
    if accept_plus and _PLUS.fullmatch(number):
        number = "00" + number[1:]
    if number.startswith("0040"):
        return number if _ROMANIAN_INTERNATIONAL.fullmatch(number) else None
    if _NATIONAL.fullmatch(number) or _INTERNATIONAL.fullmatch(number):
        return number
    return None


def is_national(number: str) -> bool:
    """Romanian numbers are charged national credit (spec §3.2)."""
    return bool(_NATIONAL.fullmatch(number) or _ROMANIAN_INTERNATIONAL.fullmatch(number))


def national_form(number: str) -> str:
    """`00407…` and `07…` name the same phone; the blacklist compares this form."""
    return "0" + number[4:] if _ROMANIAN_INTERNATIONAL.fullmatch(number) else number


@dataclass
class Message:
    """One SMS the account accepted."""

    message_id: int
    to: str
    sender: str
    text: str
    segments: int
    scheduled_at: int
    test: bool
    via: str
    state: str = "queued"  # queued, scheduled, sent, delivered, undelivered
    forced_status: int | None = None


@dataclass
class Account:
    """Everything the simulated account holds."""

    national_credit: int
    international_credit: int
    senders: dict[str, str]
    blacklist: set[str]
    next_message_id: int
    next_package_id: int = 1
    # BULK v3 packages received: id, test flag and line count.
    packages: list[dict[str, Any]] = field(default_factory=list)
    clock_offset: float = 0.0
    messages: dict[int, Message] = field(default_factory=dict)

    def now(self) -> int:
        """Return the simulator's UNIX time (the control API can move it forward)."""
        return int(time.time() + self.clock_offset)

    def sender_to_use(self, sender: str) -> str | None:
        """Return the sender a message goes out with, or None when the sender is refused."""
        if sender in ALWAYS_ALLOWED_SENDERS:
            return sender
        match self.senders.get(sender):
            case "approved":
                return sender
            case "not_activated":
                return NUMERIC_SENDER
            case _:
                return None

    def is_blacklisted(self, number: str) -> bool:
        """Whether the number (in either Romanian form) is on the account blacklist."""
        listed = {national_form(entry) for entry in self.blacklist}
        return national_form(number) in listed

    def can_pay(self, number: str, cost: int) -> bool:
        """Whether the right credit pool holds `cost` SMS."""
        pool = self.national_credit if is_national(number) else self.international_credit
        return pool >= cost

    def charge(self, number: str, cost: int) -> None:
        """Take `cost` SMS from the pool the number is charged to."""
        if is_national(number):
            self.national_credit -= cost
        else:
            self.international_credit -= cost

    def new_message_id(self) -> int:
        """IDs start in the hundreds of millions and grow (spec §2.12)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready view for the control API."""
        return {
            "national_credit": self.national_credit,
            "international_credit": self.international_credit,
            "senders": dict(self.senders),
            "blacklist": sorted(self.blacklist),
            "now": self.now(),
            "clock_offset": self.clock_offset,
            "messages": [vars(message).copy() for message in self.messages.values()],
        }
