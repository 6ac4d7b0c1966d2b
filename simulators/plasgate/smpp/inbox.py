"""Incoming SMS (MO), kept store-and-forward until a receiver acknowledges every part."""

from dataclasses import dataclass, field
from typing import Any

from simulators.plasgate.smpp.fields import deliver_sm_body
from simulators.plasgate.smpp.text import mo_parts


@dataclass
class Mo:
    """One MO: its deliver_sm bodies and how far their delivery got."""

    id: str
    source: str
    destination: str
    text: str
    bodies: list[bytes]
    state: str = "pending"  # pending | acked
    attempts: int = 0
    in_flight_on: object | None = None  # the session it was last written to, until answered
    acked_parts: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, mo_id: str, reference: int, source: str, destination: str, text: str) -> "Mo":
        """Split text into as many deliver_sm as it needs (8-bit concatenation UDH)."""
        coding, esm_class, messages = mo_parts(text, reference)
        bodies = [
            deliver_sm_body(
                source, destination, esm_class=esm_class, data_coding=coding, short_message=message
            )
            for message in messages
        ]
        return cls(mo_id, source, destination, text, bodies)

    @property
    def waiting(self) -> bool:
        """Pending and not written to any session that may still answer."""
        return self.state == "pending" and self.in_flight_on is None

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "from": self.source,
            "to": self.destination,
            "text": self.text,
            "state": self.state,
            "attempts": self.attempts,
            "parts": len(self.bodies),
        }
