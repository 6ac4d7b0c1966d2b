"""Where the demo lives and what it is made of: paths, ports, login and the gateway layout."""

from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
CONFIG_DIR: Final = REPO_ROOT / "demo" / "config"
# What a running demo writes for `python -m demo sms` (URLs and the API token).
RUNTIME_FILE: Final = CONFIG_DIR / "demo_runtime.json"
INTEGRATION_SOURCE: Final = REPO_ROOT / "custom_components" / "sms_gateway"

LOGIN_USERNAME: Final = "demo"
LOGIN_PASSWORD: Final = "demo"  # noqa: S105 (the documented demo login)

HOST: Final = "127.0.0.1"
# The gateway's clock has no zone: it and Home Assistant must agree on where they are.
TIME_ZONE: Final = "Africa/Casablanca"
DEFAULT_HA_PORT: Final = 8123

PORT_COUNT: Final = 8
GATEWAY_TITLE: Final = "Dinstar 2817"
"""What the config flow titles the simulated gateway (its serial's last 4 characters): device
names and entity ids start with it. `demo.entries` checks that the two agree."""
SEARCHING_PORT: Final = 6
NO_SIM_PORT: Final = 7
# CSQ (0-31) of the registered ports, so the dashboard shows signals from strong to weak.
REGISTERED_SIGNALS: Final = {0: 28, 1: 23, 2: 18, 3: 14, 4: 10, 5: 6}
# Ports that ask their operator for the balance (the simulator answers "Solde: 12.50 DH ...").
BALANCE_CODE: Final = "*100#"
BALANCE_UNIT: Final = "MAD"
BALANCE_INTERVAL_MINUTES: Final = 60
BALANCE_PORTS: Final = tuple(REGISTERED_SIGNALS)
WELCOME_SMS: Final = ("+212600000001", "Welcome to the SMS Gateway demo!")

# The cloud accounts: the simulators' default credentials (DESIGN.md), so the two sides agree.
SMSLINK_CONNECTION_ID: Final = "demo"
SMSLINK_PASSWORD: Final = "demo"  # noqa: S105 (the simulator's documented default)
SMSLINK_RECIPIENT: Final = "+40712345678"
GATEWAY_RECIPIENT: Final = "+40722000111"
"""Where the demo gateway's notify entity sends: it has default recipients, as a user sets."""
# An SMSLink 2-Way sender as the service writes it: a national number.
SMSLINK_SENDER: Final = "0712345678"
SMSLINK_WELCOME_SMS: Final = (SMSLINK_SENDER, "Welcome to the SMSLink demo account!")
PLASGATE_PRIVATE_KEY: Final = "demo"
PLASGATE_SECRET: Final = "demo"  # noqa: S105 (the simulator's documented default)
PLASGATE_RECIPIENT: Final = "+85512345678"
# The Plasgate account binds over SMPP with the simulator's default login (DESIGN.md).
SMPP_SYSTEM_ID: Final = "demo"
SMPP_PASSWORD: Final = "demo"  # noqa: S105 (the simulator's documented default)
SMPP_THROUGHPUT: Final = 10.0
SMPP_WINDOW: Final = 10
# An SMPP deliver_sm as a Cambodian operator writes it: international digits, no "+"; to the
# account's short code.
PLASGATE_SENDER: Final = "85598765432"
PLASGATE_SHORT_CODE: Final = "1234"


@dataclass(frozen=True, kw_only=True)
class CloudEndpoint:
    """Where a cloud simulator listens, and the webhook of its account's entry."""

    url: str
    webhook_id: str


@dataclass(frozen=True, kw_only=True)
class SmppEndpoint:
    """Where the Plasgate simulator's SMPP server listens (plain TCP)."""

    host: str
    port: int

    def __str__(self) -> str:
        """host:port, as the banner shows it."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, kw_only=True)
class DemoEndpoints:
    """Where the simulators and Home Assistant listen, and the webhooks between them."""

    simulator_url: str
    ha_port: int
    webhook_id: str
    smslink: CloudEndpoint
    plasgate: CloudEndpoint
    plasgate_smpp: SmppEndpoint

    @property
    def ha_url(self) -> str:
        """Home Assistant's base URL."""
        return f"http://{HOST}:{self.ha_port}"

    def webhook_url(self, webhook_id: str) -> str:
        """Build the URL of one of Home Assistant's webhooks."""
        return f"{self.ha_url}/api/webhook/{webhook_id}"

    @property
    def push_url(self) -> str:
        """The URL the gateway posts its push events to."""
        return self.webhook_url(self.webhook_id)
