"""The demo's cloud accounts: an SMSLink and a Plasgate simulator with the default credentials.

The Plasgate one serves its SMPP API too: the demo's account sends and receives over it.
"""

from dataclasses import dataclass

from simulators.plasgate.simulator import PlasgateSettings, PlasgateSimulator
from simulators.server import RunningServer, serve
from simulators.smslink.simulator import SmsLinkSettings, SmsLinkSimulator

from .settings import (
    HOST,
    PLASGATE_PRIVATE_KEY,
    PLASGATE_SECRET,
    SMSLINK_CONNECTION_ID,
    SMSLINK_PASSWORD,
    SmppEndpoint,
)


@dataclass(frozen=True)
class CloudSimulators:
    """Both simulators and the servers that serve them, Plasgate's SMPP server among them."""

    smslink: SmsLinkSimulator
    smslink_server: RunningServer
    plasgate: PlasgateSimulator
    plasgate_server: RunningServer
    plasgate_smpp: SmppEndpoint

    async def stop(self) -> None:
        """Stop every server (and the callbacks still on their way).

        Plasgate's HTTP app does not stop its SMPP server: that is done here, sessions included.
        """
        await self.plasgate.smpp.stop()
        await self.smslink_server.stop()
        await self.plasgate_server.stop()


async def start_cloud_simulators() -> CloudSimulators:
    """Serve both on free ports of 127.0.0.1 (plain HTTP and SMPP without TLS)."""
    smslink = SmsLinkSimulator(
        SmsLinkSettings(connection_id=SMSLINK_CONNECTION_ID, password=SMSLINK_PASSWORD)
    )
    plasgate = PlasgateSimulator(
        PlasgateSettings(private_key=PLASGATE_PRIVATE_KEY, secret=PLASGATE_SECRET)
    )
    smslink_server = await serve(smslink.create_app(), HOST, 0)
    try:
        plasgate_server = await serve(plasgate.create_app(), HOST, 0)
    except OSError:
        await smslink_server.stop()
        raise
    try:
        host, port = await plasgate.smpp.start(HOST, 0)
    except OSError:
        await smslink_server.stop()
        await plasgate_server.stop()
        raise
    return CloudSimulators(
        smslink,
        smslink_server,
        plasgate,
        plasgate_server,
        SmppEndpoint(host=host, port=port),
    )


def point_smslink_callbacks_at(sim: SmsLinkSimulator, webhook_url: str) -> None:
    """Set the account's delivery-report and 2-Way URL, as a user does on SMSLink's site."""
    sim.callbacks.url = webhook_url
