"""What the SMPP link keeps of incoming SMS: it survives the store, and forgets what is too old."""

from __future__ import annotations

import json

from custom_components.sms_gateway.providers.plasgate.smpp import IncomingMemory
from custom_components.sms_gateway.providers.plasgate.smpp.memory import (
    EXPECTED_FOR_S,
    PARTS_KEPT_FOR_S,
    PendingSms,
)


def test_a_memory_reads_back_what_it_wrote() -> None:
    memory = IncomingMemory()
    memory.expect(["digest-1"], now=100.0)
    memory.pending["key"] = PendingSms("85598765432", "1234", 3, 100.0, {1: "Hel", 3: "!"})
    again = IncomingMemory.from_dict(json.loads(json.dumps(memory.as_dict())))
    assert again == memory
    assert again.pending["key"].text() is None
    again.pending["key"].parts[2] = "lo"
    assert again.pending["key"].text() == "Hello!"


def test_a_broken_store_gives_what_it_can() -> None:
    stored = {
        "expected": {"kept": 5.0, "dropped": "not a time"},
        "pending": {
            "good": {
                "source": "a",
                "destination": "b",
                "total": 2,
                "first_at": 1,
                "parts": {"1": "x"},
            },
            "bad": {"source": "a"},
        },
    }
    memory = IncomingMemory.from_dict(stored)
    assert memory.expected == {"kept": 5.0}
    assert list(memory.pending) == ["good"]
    assert IncomingMemory.from_dict(None) == IncomingMemory()
    assert IncomingMemory.from_dict({"expected": [], "pending": "x"}) == IncomingMemory()


def test_what_waited_too_long_is_forgotten() -> None:
    memory = IncomingMemory()
    memory.expect(["old"], now=0.0)
    memory.expect(["new"], now=EXPECTED_FOR_S)
    memory.pending["stale"] = PendingSms("a", "b", 2, 0.0)
    memory.pending["fresh"] = PendingSms("a", "b", 2, EXPECTED_FOR_S)
    assert memory.forget_old(now=EXPECTED_FOR_S + 1)
    assert list(memory.expected) == ["new"]
    assert list(memory.pending) == ["fresh"]
    assert not memory.forget_old(now=EXPECTED_FOR_S + 1)
    assert PARTS_KEPT_FOR_S < EXPECTED_FOR_S


def test_an_expected_redelivery_is_taken_once() -> None:
    memory = IncomingMemory()
    memory.expect(["digest"])
    assert memory.take_expected("digest")
    assert not memory.take_expected("digest")
