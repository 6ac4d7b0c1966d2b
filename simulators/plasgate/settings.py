"""How a simulated Plasgate account is built: credentials, senders, balance and timings."""

from dataclasses import dataclass, field


@dataclass
class PlasgateSettings:
    """Credentials, timings, SMPP throttles; DESIGN.md defaults let any client talk to a new one."""

    private_key: str = "demo"
    secret: str = "demo"  # noqa: S105 (DESIGN.md default)
    username: str = "demo"
    password: str = "demo"  # noqa: S105 (DESIGN.md default)
    senders: list[str] = field(default_factory=lambda: ["SMS Info"])
    balance: float = 100.0
    seed: int = 0
    callback_timeout: float = 10.0
    # SMPP (spec §2.8, Jasmin-like): the bind, receipt timing and per-bind throttles (0 = none).
    smpp_system_id: str = "demo"
    smpp_password: str = "demo"  # noqa: S105 (DESIGN.md default)
    smpp_dlr_delay: float = 0.05
    smpp_throughput: float = 0.0
    smpp_window: int = 0
