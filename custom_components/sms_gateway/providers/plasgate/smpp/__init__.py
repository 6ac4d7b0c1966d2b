"""Plasgate over SMPP v3.4 (its Jasmin-like server): a link kept bound as a transceiver."""

from .deliveries import IncomingPart
from .link import (
    DEFAULT_PORT,
    MAX_PASSWORD,
    MAX_SYSTEM_ID,
    IncomingSms,
    LinkListener,
    LinkState,
    PartSentError,
    SmppLink,
    SmppSettings,
    check_login,
)
from .memory import IncomingMemory
from .session import AnswerLostError

__all__ = [
    "DEFAULT_PORT",
    "MAX_PASSWORD",
    "MAX_SYSTEM_ID",
    "AnswerLostError",
    "IncomingMemory",
    "IncomingPart",
    "IncomingSms",
    "LinkListener",
    "LinkState",
    "PartSentError",
    "SmppLink",
    "SmppSettings",
    "check_login",
]
