"""What the Plasgate simulator stores per accepted message (spec §3.2)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
import uuid


@dataclass
class DlrRequest:
    """Where and how a delivery report was asked for."""

    url: str
    level: int
    method: str


@dataclass
class Message:
    """One message to one number; a batch makes one per `to` entry."""

    to: str
    sender: str
    content: str
    report_content: str
    endpoint: str
    segments: int
    dlr: DlrRequest | None = None
    batch_id: str | None = None
    callback_url: str | None = None
    errback_url: str | None = None
    schedule_at: datetime | None = None
    rejection: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    state: str = "accepted"
    submitted_at: datetime | None = None
    done_at: datetime | None = None

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready: delivered and report content side by side."""
        return {
            "id": self.id,
            "batch_id": self.batch_id,
            "to": self.to,
            "sender": self.sender,
            "content": self.content,
            "report_content": self.report_content,
            "endpoint": self.endpoint,
            "segments": self.segments,
            "dlr": None if self.dlr is None else vars(self.dlr).copy(),
            "callback_url": self.callback_url,
            "errback_url": self.errback_url,
            "schedule_at": None if self.schedule_at is None else self.schedule_at.isoformat(),
            "state": self.state,
        }
