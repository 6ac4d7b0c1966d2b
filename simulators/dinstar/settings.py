"""How a simulated Dinstar gateway is built: size, credentials, serial, timings and randomness."""

from dataclasses import dataclass

PORT_COUNTS = (4, 8, 16, 32)


@dataclass
class DinstarSettings:
    """Start-up settings; the fault switches (which change at run time) live elsewhere."""

    ports: int = 8
    username: str = "admin"
    password: str = "admin"  # noqa: S105 (the factory default, §2.2)
    sn: str = "da00-0030-1901-2817"
    push_url: str | None = None
    send_delay: float = 2.0
    deliver_delay: float = 2.0
    ussd_delay: float = 3.0
    failure_rate: float = 0.0
    seed: int = 0
    # A reset or power-on takes this long before the module registers again.
    register_delay: float = 2.0
    # Multi-SIM gateways report slot 0-3 and put `slot` in register pushes; others report 255.
    multi_sim: bool = False
    queue_capacity: int = 256

    def __post_init__(self) -> None:
        """Refuse sizes and rates no gateway has."""
        if self.ports not in PORT_COUNTS:
            raise ValueError(f"ports must be one of {PORT_COUNTS}, not {self.ports}")
        if not 0 <= self.failure_rate <= 1:
            raise ValueError("failure_rate must be between 0 and 1")
        if self.queue_capacity < 1:
            raise ValueError("queue_capacity must be positive")
