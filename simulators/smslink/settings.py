"""How a simulated SMSLink account is built: credentials, credit, senders and callback timings."""

from dataclasses import dataclass, field


@dataclass
class SmsLinkSettings:
    """Start-up settings; the variant and fault switches (changed at run time) live elsewhere."""

    connection_id: str = "demo"
    password: str = "demo"  # noqa: S105 (DESIGN.md's default for a fresh simulator)
    callback_url: str | None = None
    national_credit: int = 1000
    international_credit: int = 100
    # Alphanumeric senders: "approved", "not_activated" (silent fallback to numeric), "rejected".
    senders: dict[str, str] = field(default_factory=lambda: {"SMSGateway": "approved"})
    blacklist: set[str] = field(default_factory=set)
    # The 2-Way campaign's shortcode (`receiver` of an incoming SMS).
    shortcode: str = "1847"
    first_message_id: int = 220_000_000
    seed: int = 0
