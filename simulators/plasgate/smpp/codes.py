"""SMPP v3.4 command ids and command_status values the simulator speaks (SMPP v3.4 §5.1)."""

from enum import IntEnum

RESPONSE_BIT = 0x80000000


class Command(IntEnum):
    """Command ids; a response is its request's id with RESPONSE_BIT set."""

    GENERIC_NACK = 0x80000000
    BIND_RECEIVER = 0x00000001
    BIND_RECEIVER_RESP = 0x80000001
    BIND_TRANSMITTER = 0x00000002
    BIND_TRANSMITTER_RESP = 0x80000002
    SUBMIT_SM = 0x00000004
    SUBMIT_SM_RESP = 0x80000004
    DELIVER_SM = 0x00000005
    DELIVER_SM_RESP = 0x80000005
    UNBIND = 0x00000006
    UNBIND_RESP = 0x80000006
    BIND_TRANSCEIVER = 0x00000009
    BIND_TRANSCEIVER_RESP = 0x80000009
    ENQUIRE_LINK = 0x00000015
    ENQUIRE_LINK_RESP = 0x80000015


class Status(IntEnum):
    """command_status values (errors the simulator answers with)."""

    ESME_ROK = 0x00
    ESME_RINVMSGLEN = 0x01
    ESME_RINVCMDLEN = 0x02
    ESME_RINVCMDID = 0x03
    ESME_RINVBNDSTS = 0x04
    ESME_RALYBND = 0x05
    ESME_RINVSRCADR = 0x0A
    ESME_RINVDSTADR = 0x0B
    ESME_RBINDFAIL = 0x0D
    ESME_RINVPASWD = 0x0E
    ESME_RINVSYSID = 0x0F
    ESME_RINVESMCLASS = 0x43
    ESME_RSUBMITFAIL = 0x45
    ESME_RTHROTTLED = 0x58


BIND_MODES = {
    Command.BIND_RECEIVER: "receiver",
    Command.BIND_TRANSMITTER: "transmitter",
    Command.BIND_TRANSCEIVER: "transceiver",
}


def command_name(command_id: int) -> str:
    """Name a command id in lower case, or `unknown_0x...` for one the simulator lacks."""
    try:
        return Command(command_id).name.lower()
    except ValueError:
        return f"unknown_{command_id:#010x}"
