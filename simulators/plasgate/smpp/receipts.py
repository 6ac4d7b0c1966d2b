"""Delivery receipts: the de-facto SMSC receipt text (SMPP v3.4 Appendix B) and its TLVs."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from simulators.plasgate.smpp.fields import (
    MESSAGE_STATE,
    RECEIPTED_MESSAGE_ID,
    deliver_sm_body,
)
from simulators.plasgate.smpp.text import GSM7

RECEIPT_ESM_CLASS: Final = 0x04
# stat -> message_state (SMPP v3.4 §5.2.28).
STATES: Final = {"DELIVRD": 2, "EXPIRED": 3, "UNDELIV": 5, "REJECTD": 8}
_DATE: Final = "%y%m%d%H%M"


def wants_receipt(registered_delivery: int, stat: str) -> bool:
    """Bit 0: always; value 2 in the low bits: only on failure."""
    wanted = registered_delivery & 0x03
    return wanted == 1 or (wanted == 2 and stat != "DELIVRD")  # noqa: PLR2004


@dataclass
class Receipt:
    """One receipt for one submit_sm, queued until a receiver is bound."""

    message_id: str
    source: str  # who sent the MT: the receipt goes back to them
    destination: str
    text: str
    stat: str
    submitted_at: datetime
    done_at: datetime
    state: str = "scheduled"  # scheduled | queued (no receiver) | sent
    with_text: bool = True  # False: the TLVs alone say it (sm_length 0), as SMPP v3.4 allows

    def short_message(self) -> bytes:
        """`id:... sub:001 dlvrd:... submit date:... done date:... stat:... err:... text:...`."""
        delivered = self.stat == "DELIVRD"
        return (
            f"id:{self.message_id} sub:001 dlvrd:{'001' if delivered else '000'}"
            f" submit date:{self.submitted_at.strftime(_DATE)}"
            f" done date:{self.done_at.strftime(_DATE)}"
            f" stat:{self.stat} err:{'000' if delivered else '001'} text:{self.text[:20]}"
        ).encode("latin-1", errors="replace")

    def deliver_sm_body(self) -> bytes:
        """Build the deliver_sm: from the MT's destination to its source, with both receipt TLVs."""
        return deliver_sm_body(
            self.destination,
            self.source,
            esm_class=RECEIPT_ESM_CLASS,
            data_coding=GSM7,
            short_message=self.short_message() if self.with_text else b"",
            tlvs={
                RECEIPTED_MESSAGE_ID: self.message_id.encode("ascii") + b"\x00",
                MESSAGE_STATE: bytes([STATES[self.stat]]),
            },
        )

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"message_id": self.message_id, "stat": self.stat, "state": self.state}
