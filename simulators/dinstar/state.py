"""What a simulated Dinstar gateway holds: ports, SMS queue and records, inbox, CDRs.

Plain data; the services (SMS, USSD, ports ...) change it. Values follow spec §2.9 and §3.3.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
import random
from typing import Any

REGISTER_OK = "REGISTER_OK"
REG_STATES = (
    "POWER_OFF",
    "NO_SIM",
    "PIN_REQUIRE",
    "PUK_REQUIRE",
    "UNREGISTER",
    "SEARCHING_NETWORK",
    REGISTER_OK,
    "UNKNOWN",
)
NETWORK_TYPES = ("GSM", "CDMA", "WCDMA", "LTE", "UNKNOWN")
CALL_STATES = (
    "Idle",
    "Processing",
    "Ringing",
    "Active",
    "Alerting",
    "Call Waiting",
    "Call holding",
    "Unknown",
)
# info_type spelling (request) -> spelling in get_port_info answers per [MOU]/[U-KT] (§2.8.9).
REMAIN_KEYS = {
    "remain_credit": "remain_credit",
    "remain_monthly_credit": "remain_monthly_credit",
    "remain_daily_credit": "remain_daily_credit",
    "remain_daily_calltime": "remain_daily_call_time",
    "remain_hourly_calltime": "remain_hourly_call_time",
    "remain_daily_connect": "remain_daily_connected",
}
SINGLE_SIM_SLOT = 255
NO_VALUE = "<NULL>"

# Moroccan operators (MCC 604) so the default USSD balance text in dirhams is coherent.
# Default port layout: in every group of 8, the 7th is not registered and the 8th has no SIM.
_GROUP, _UNREGISTERED_AT, _NO_SIM_AT = 8, 6, 7
_BILLING_SHARE, _NO_NUMBER_SHARE, _GPRS_SHARE = 0.5, 0.3, 0.8
_OPERATORS = (("00", "+212661000000"), ("01", "+212662000000"), ("02", "+212660000000"))


def gateway_time(moment: datetime | None = None) -> str:
    """Render the gateway's local clock as the API does: no zone."""
    return (moment or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")  # noqa: DTZ005


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def luhn_digit(digits: str) -> str:
    """Compute the digit that makes digits + check pass the Luhn test (IMEI, ICCID)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        total += sum(divmod(int(char) * (2 if index % 2 == 0 else 1), 10))
    return str((10 - total % 10) % 10)


@dataclass
class PortState:
    """One GSM module and its SIM."""

    port: int
    type: str
    imei: str
    imsi: str
    iccid: str
    number: str
    reg: str
    slot: int
    callstate: str
    signal: int
    gprs: bool
    smsc: str
    remain: dict[str, str]
    call_forward: dict[str, str] = field(default_factory=dict)
    sim_inserted: bool = True
    pin_locked: bool = False
    blocked: bool = False
    busy: bool = False

    @property
    def registered(self) -> bool:
        """Whether the port can send SMS and USSD."""
        return self.reg == REGISTER_OK

    def snapshot(self) -> dict[str, Any]:
        """Everything, for the control API."""
        return asdict(self)


def make_ports(count: int, rng: random.Random, *, multi_sim: bool) -> list[PortState]:
    """Make varied, realistic ports: most registered with different signals, some not.

    The last port of every group of 8 (and of a 4-port box) has no SIM and the 7th is not
    registered; every value comes from rng, so a seed reproduces them.
    """
    ports = []
    for index in range(count):
        no_sim = index % _GROUP == _NO_SIM_AT or (count < _GROUP and index == count - 1)
        unregistered = index % _GROUP == _UNREGISTERED_AT
        reg = "NO_SIM" if no_sim else ("UNREGISTER" if unregistered else REGISTER_OK)
        mnc, smsc = rng.choice(_OPERATORS)
        imei_body = "86307001" + _digits(rng, 6)
        iccid_body = f"89212{mnc}" + _digits(rng, 12)
        has_billing = rng.random() < _BILLING_SHARE
        ports.append(
            PortState(
                port=index,
                type=rng.choice(("LTE", "LTE", "WCDMA", "GSM")),
                imei=imei_body + luhn_digit(imei_body),
                imsi="" if no_sim else f"604{mnc}" + _digits(rng, 10),
                iccid="" if no_sim else iccid_body + luhn_digit(iccid_body),
                number=""
                if no_sim or rng.random() < _NO_NUMBER_SHARE
                else "+2126" + _digits(rng, 8),
                reg=reg,
                slot=0 if multi_sim else SINGLE_SIM_SLOT,
                callstate="Idle",
                signal=rng.randint(8, 31)
                if reg == REGISTER_OK
                else (0 if no_sim else rng.randint(1, 4)),
                gprs=reg == REGISTER_OK and rng.random() < _GPRS_SHARE,
                smsc="" if no_sim else smsc,
                remain={
                    key: str(rng.randint(10, 500)) if has_billing and not no_sim else ""
                    for key in REMAIN_KEYS
                },
                sim_inserted=not no_sim,
            )
        )
    return ports


@dataclass
class QueuedSms:
    """One recipient of a send_sms task, waiting for a free port."""

    task_id: int
    number: str
    text: str
    user_id: int | None
    ports: tuple[int, ...]
    encoding: str
    status_report: bool


@dataclass
class SendRecord:
    """A query_sms_result row (plus what the simulator keeps for the control API)."""

    task_id: int
    port: int
    user_id: int | None
    number: str
    time: str
    status: str
    count: int
    succ_count: int
    ref_id: int
    imsi: str
    text: str
    encoding: str

    def as_result(self, *, include_user_id: bool = True) -> dict[str, Any]:
        """Render the wire shape of §2.8.2 (user_id only when the sender gave one)."""
        row: dict[str, Any] = {"port": self.port}
        if include_user_id and self.user_id is not None:
            row["user_id"] = self.user_id
        row.update(
            number=self.number,
            time=self.time,
            status=self.status,
            count=self.count,
            succ_count=self.succ_count,
            ref_id=self.ref_id,
            imsi=self.imsi,
        )
        return row


@dataclass
class DeliveryRecord:
    """A query_sms_deliver_status row (§2.8.3)."""

    port: int
    number: str
    time: str
    ref_id: int
    status_code: int
    imsi: str

    def as_result(self) -> dict[str, Any]:
        """Render the wire shape."""
        return asdict(self)


@dataclass
class IncomingSms:
    """An SMS in the gateway's inbox."""

    incoming_sms_id: int
    port: int
    number: str
    smsc: str
    timestamp: str
    text: str
    imsi: str
    read: bool = False

    def as_wire(self, *, include_imsi: bool) -> dict[str, Any]:
        """Render an element of query_incoming_sms `sms[]` and of the `sms` push."""
        row: dict[str, Any] = {
            "incoming_sms_id": self.incoming_sms_id,
            "port": self.port,
            "number": self.number,
            "smsc": self.smsc,
            "timestamp": self.timestamp,
            "text": self.text,
        }
        if include_imsi:
            row["imsi"] = self.imsi
        return row


def answered_call(**fields: Any) -> dict[str, Any]:
    """Make a CDR row (§2.8.12): a 42 s call answered from a mobile, unless fields say otherwise."""
    now = gateway_time()
    record: dict[str, Any] = {
        "port": 0,
        "start_date": now,
        "answer_date": now,
        "duration": 42,
        "source_number": "0612345678",
        "destination_number": "100",
        "direction": "gsm->ip",
        "ip": "",
        "codec": "G.711A",
        "hangup": "calling",
        "gsm_code": 16,
        "bcch": "",
    }
    record.update(fields)
    return record


def sample_cdrs() -> list[dict[str, Any]]:
    """Make a few answered calls, so get_cdr has something to return out of the box."""
    return [
        answered_call(
            port=2,
            start_date="2025-07-21 16:35:20",
            answer_date="2025-07-21 16:35:31",
            duration=3,
            source_number="1010",
            destination_number="6717",
            direction="ip->gsm",
            ip="172.16.100.136",
            codec="G.711U",
            hangup="called",
        ),
        answered_call(
            start_date="2025-07-22 09:12:03",
            answer_date="2025-07-22 09:12:09",
            duration=65,
            destination_number="200",
        ),
    ]


@dataclass
class GatewayState:
    """Everything the gateway holds besides its ports' USSD and STK sessions."""

    ports: list[PortState]
    queue: list[QueuedSms] = field(default_factory=list)
    in_flight: int = 0
    next_task_id: int = 1
    tasks: set[int] = field(default_factory=set)
    results: list[SendRecord] = field(default_factory=list)
    deliveries: list[DeliveryRecord] = field(default_factory=list)
    next_ref_id: int = 0
    inbox: list[IncomingSms] = field(default_factory=list)
    next_incoming_id: int = 1
    cdrs: list[dict[str, Any]] = field(default_factory=sample_cdrs)
    register_sequence: int = 0

    def take_ref_ids(self, count: int) -> int:
        """Reserve count TP references (0-255, wrapping) and return the first."""
        first = self.next_ref_id
        self.next_ref_id = (first + count) % 256
        return first
