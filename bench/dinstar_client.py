"""How many requests the Dinstar client makes, and what it costs per request over bare aiohttp.

Runs the real client against the simulator on 127.0.0.1 and prints counts and ratios:

    .venv/bin/python -m bench.dinstar_client
"""

import asyncio
from dataclasses import dataclass, fields as fields_of
import hashlib
import os
import re
import time

import aiohttp

from custom_components.sms_gateway.providers.dinstar import DinstarClient
from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.server import serve

PORTS = 32
RECIPIENTS = 1000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
PATH = "/api/query_sms_in_queue"


@dataclass
class BareDigest:
    """The least a bare aiohttp caller must do to be let in: MD5 Digest with a rising nc."""

    nonce: str
    realm: str
    nc: int = 0

    def header(self, method: str, uri: str) -> str:
        """Sign one request: the nonce is reused, nc rises, cnonce is fresh."""
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = os.urandom(8).hex()
        ha1 = hashlib.md5(f"admin:{self.realm}:admin".encode()).hexdigest()  # noqa: S324
        ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()  # noqa: S324
        response = hashlib.md5(  # noqa: S324
            f"{ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}".encode()
        ).hexdigest()
        return (
            f'Digest username="admin", realm="{self.realm}", nonce="{self.nonce}", uri="{uri}", '
            f'qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", algorithm=MD5'
        )


async def bare_digest(session: aiohttp.ClientSession, url: str) -> BareDigest:
    """Fetch one challenge, as the baseline too has to."""
    async with session.get(url + PATH) as response:
        challenge = response.headers["WWW-Authenticate"]
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    return BareDigest(nonce=fields["nonce"], realm=fields["realm"])


async def per_request_cost(
    session: aiohttp.ClientSession, client: DinstarClient, url: str
) -> tuple[float, float]:
    """Seconds per call: the client's query_sms_in_queue, then a bare GET of the same path."""
    digest = await bare_digest(session, url)

    async def bare() -> None:
        headers = {"Authorization": digest.header("GET", PATH)}
        async with session.get(url + PATH, headers=headers) as response:
            await response.json()

    await client.query_sms_in_queue()
    await bare()
    best_client = best_bare = float("inf")
    for _ in range(3):  # best of three: the machine's noise only ever adds time
        start = time.perf_counter()
        for _ in range(ROUNDS):
            await client.query_sms_in_queue()
        best_client = min(best_client, (time.perf_counter() - start) / ROUNDS)
        start = time.perf_counter()
        for _ in range(ROUNDS):
            await bare()
        best_bare = min(best_bare, (time.perf_counter() - start) / ROUNDS)
    return best_client, best_bare


async def main() -> None:
    """Print the counts the issue asks for and the per-request cost ratio."""
    # A queue large enough for 1000 recipients at once: the count, not the queue, is measured.
    sim = DinstarSimulator(DinstarSettings(ports=PORTS, queue_capacity=RECIPIENTS * 2))
    server = await serve(sim.create_app())
    try:
        async with aiohttp.ClientSession() as session:
            client = DinstarClient(session, server.url, "admin", "admin")
            await client.query_sms_in_queue()  # the one-time Digest challenge
            sim.gate.reset_counts()

            ports = await client.get_port_info()
            info_requests = sim.request_counts.get("/api/get_port_info", 0)
            all_requests = sum(sim.request_counts.values())
            fields = sum(
                getattr(info, field.name) is not None for info in ports for field in fields_of(info)
            )
            print(
                f"read every info type of {len(ports)} ports: {info_requests} get_port_info "
                f"request(s), {all_requests} HTTP request(s) in all, {fields} fields (must be 1)"
            )

            sim.gate.reset_counts()
            numbers = [f"+4072{i:07d}" for i in range(RECIPIENTS)]
            outcome = await client.send_sms_to(numbers, "Benchmark message", first_user_id=1)
            send_requests = sim.request_counts.get("/api/send_sms", 0)
            queued = sum(1 for item in outcome.recipients if item.state == "queued")
            print(
                f"send to {RECIPIENTS} recipients: {send_requests} send_sms request(s), "
                f"{queued} queued (must be 8)"
            )

            client_cost, bare_cost = await per_request_cost(session, client, server.url)
            print(
                f"cost per request ({PATH}, best of 3 x {ROUNDS}): client "
                f"{client_cost * 1e6:.0f} us, bare aiohttp {bare_cost * 1e6:.0f} us, "
                f"ratio {client_cost / bare_cost:.2f}"
            )
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
