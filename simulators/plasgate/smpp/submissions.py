"""submit_sm checks and records: one message id per PDU, long messages reassembled from parts."""

from collections.abc import Mapping
from dataclasses import dataclass, field
import re
from typing import Any, Final
import uuid

from simulators.plasgate.smpp.codes import Status
from simulators.plasgate.smpp.fields import SubmitSm
from simulators.plasgate.smpp.text import DATA_CODINGS, UDHI, BadUdh, decode, split_udh

MAX_SHORT_MESSAGE: Final = 254
_NUMBER: Final = re.compile(r"^[0-9]{6,15}$")


class SubmitRefused(Exception):  # noqa: N818 (a refusal carried to submit_sm_resp)
    """The submit_sm is answered with this command_status."""

    def __init__(self, status: Status, reason: str) -> None:
        """Keep the status for the resp."""
        super().__init__(reason)
        self.status = status


@dataclass
class Submitted:
    """A whole message, once every part has arrived."""

    message_ids: list[str]
    to: str
    sender: str
    text: str
    data_coding: int
    registered_delivery: int

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready; message_id is the first part's."""
        return {
            "message_id": self.message_ids[0],
            "message_ids": list(self.message_ids),
            "to": self.to,
            "sender": self.sender,
            "text": self.text,
            "parts": len(self.message_ids),
            "data_coding": self.data_coding,
            "registered_delivery": self.registered_delivery,
        }


@dataclass
class _Partial:
    total: int
    parts: dict[int, tuple[str, bytes]] = field(default_factory=dict)


def check(sm: SubmitSm, senders: list[str], switches: Mapping[str, Any]) -> None:
    """Refuse what Plasgate would: bad numbers, unapproved senders, oversized or odd messages."""
    destination = sm.destination_addr
    if switches["accept_plus_in_to"]:
        destination = destination.removeprefix("+")
    if not _NUMBER.fullmatch(destination):
        raise SubmitRefused(Status.ESME_RINVDSTADR, "destination_addr is not 6-15 digits")
    if sm.source_addr not in senders:
        raise SubmitRefused(Status.ESME_RINVSRCADR, "source_addr is not an approved sender")
    if len(sm.short_message) > MAX_SHORT_MESSAGE:
        raise SubmitRefused(Status.ESME_RINVMSGLEN, "short_message over 254 octets")
    if sm.data_coding not in DATA_CODINGS:
        raise SubmitRefused(Status.ESME_RSUBMITFAIL, "data_coding not supported")


class Submissions:
    """Every submit_sm accepted, reassembled into whole messages."""

    def __init__(self) -> None:
        """Start empty."""
        self.messages: list[Submitted] = []
        self._partials: dict[tuple[str, str, int, int], _Partial] = {}

    def accept(self, sm: SubmitSm) -> tuple[str, str]:
        """Record one checked submit_sm; returns its own message id and the text of this part."""
        message_id = str(uuid.uuid4())
        data = sm.message
        if not sm.esm_class & UDHI:
            self._complete([message_id], sm, data)
            return message_id, decode(data, sm.data_coding)
        try:
            concatenation, payload = split_udh(data)
        except BadUdh as err:
            raise SubmitRefused(Status.ESME_RINVESMCLASS, str(err)) from err
        if concatenation is None or concatenation.total == 1:
            self._complete([message_id], sm, payload)
            return message_id, decode(payload, sm.data_coding)
        key = (sm.source_addr, sm.destination_addr, concatenation.reference, concatenation.total)
        partial = self._partials.setdefault(key, _Partial(concatenation.total))
        partial.parts[concatenation.number] = (message_id, payload)
        if len(partial.parts) == partial.total:
            del self._partials[key]
            ordered = [partial.parts[number] for number in sorted(partial.parts)]
            self._complete([i for i, _ in ordered], sm, b"".join(p for _, p in ordered))
        return message_id, decode(payload, sm.data_coding)

    def _complete(self, message_ids: list[str], sm: SubmitSm, data: bytes) -> None:
        self.messages.append(
            Submitted(
                message_ids,
                sm.destination_addr,
                sm.source_addr,
                decode(data, sm.data_coding),
                sm.data_coding,
                sm.registered_delivery,
            )
        )

    def pending_parts(self) -> int:
        """Parts of long messages still waiting for the rest."""
        return sum(len(partial.parts) for partial in self._partials.values())
