"""How a simulated Plasgate account is built: credentials, senders, balance and timings."""

from dataclasses import dataclass, field


@dataclass
class PlasgateSettings:
    """Credentials and timings; the DESIGN.md defaults let any client talk to a fresh simulator."""

    private_key: str = "demo"
    secret: str = "demo"  # noqa: S105 (DESIGN.md default)
    username: str = "demo"
    password: str = "demo"  # noqa: S105 (DESIGN.md default)
    senders: list[str] = field(default_factory=lambda: ["SMS Info"])
    balance: float = 100.0
    seed: int = 0
    callback_timeout: float = 10.0
