"""What the link must remember about incoming SMS so that each fires once, across reconnects.

A server delivers a deliver_sm again when it did not read our deliver_sm_resp: the connection
dropped after we answered, or before. The link cannot see which, but it can see proof: any answer
to a request we wrote after the deliver_sm_resp means the server read past it (SMPP runs over one
ordered stream). Answers still unproven when a session ends are *expected back*: the next
deliver_sm with the same body is that redelivery, answered and not fired again. Parts of a long
SMS wait here until the last arrives. The integration keeps this memory on disk (as_dict).
"""

from __future__ import annotations

from dataclasses import dataclass, field
import time
from typing import Any, Final

EXPECTED_FOR_S: Final = 7 * 24 * 3600.0
"""The longest a redelivery is waited for while no bind lasts (the link forgets one sooner: see
SmppSettings.redelivery_window)."""
PARTS_KEPT_FOR_S: Final = 24 * 3600.0
"""How long the first parts of a long SMS wait for the rest (SMSCs give up well before)."""


@dataclass(slots=True)
class PendingSms:
    """The parts of one long incoming SMS received so far."""

    source: str
    destination: str
    total: int
    first_at: float
    parts: dict[int, str] = field(default_factory=dict)

    def text(self) -> str | None:
        """Return the whole text once every part is in, else None."""
        if len(self.parts) < self.total:
            return None
        return "".join(self.parts[index] for index in sorted(self.parts))


@dataclass(slots=True)
class IncomingMemory:
    """Digests of deliver_sm expected back, and long SMS still being put together."""

    expected: dict[str, float] = field(default_factory=dict)
    pending: dict[str, PendingSms] = field(default_factory=dict)

    def expect(self, digests: list[str], now: float | None = None) -> None:
        """Wait for these again: a session ended before the server proved it read our answers."""
        at = time.time() if now is None else now
        for digest in digests:
            self.expected[digest] = at

    def forget(self, digests: list[str]) -> bool:
        """Stop waiting for these redeliveries; True if any was still awaited."""
        found = [digest for digest in digests if self.expected.pop(digest, None) is not None]
        return bool(found)

    def take_expected(self, digest: str) -> bool:
        """Whether this deliver_sm is a redelivery of one already taken (and forget it)."""
        return self.expected.pop(digest, None) is not None

    def forget_old(self, now: float | None = None) -> bool:
        """Drop what waited too long; True if anything was dropped."""
        at = time.time() if now is None else now
        old = [key for key, since in self.expected.items() if at - since > EXPECTED_FOR_S]
        stale = [key for key, sms in self.pending.items() if at - sms.first_at > PARTS_KEPT_FOR_S]
        for key in old:
            del self.expected[key]
        for key in stale:
            del self.pending[key]
        return bool(old or stale)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the integration's store."""
        return {
            "expected": dict(self.expected),
            "pending": {
                key: {
                    "source": sms.source,
                    "destination": sms.destination,
                    "total": sms.total,
                    "first_at": sms.first_at,
                    "parts": {str(index): text for index, text in sms.parts.items()},
                }
                for key, sms in self.pending.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> IncomingMemory:
        """Read what as_dict wrote; anything else gives an empty memory."""
        memory = cls()
        if not isinstance(data, dict):
            return memory
        expected = data.get("expected")
        if isinstance(expected, dict):
            memory.expected = {
                str(key): float(at) for key, at in expected.items() if isinstance(at, int | float)
            }
        pending = data.get("pending")
        if isinstance(pending, dict):
            for key, sms in pending.items():
                try:
                    memory.pending[str(key)] = PendingSms(
                        source=str(sms["source"]),
                        destination=str(sms["destination"]),
                        total=int(sms["total"]),
                        first_at=float(sms["first_at"]),
                        parts={int(index): str(text) for index, text in sms["parts"].items()},
                    )
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue
        return memory
