"""Digest/Basic as spec §2.3 and §3.2 describe the gateway, checked with independent clients."""

import base64
import hashlib
import re

import aiohttp
import httpx
import pytest

from simulators.digest_server import OPAQUE, DigestVerifier, Verdict, parse_auth_params

CHALLENGE = re.compile(
    r'^Digest realm="Web Server", domain="",qop="auth", nonce="[0-9a-f]{32}", '
    r'opaque="5ccc069c403ebaf9f0171e9517f40e41",algorithm="MD5", stale="FALSE"$'
)
PORT_INFO = "/api/get_port_info?port=0&info_type=imei"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324


def digest_header(
    challenge: str,
    uri: str,
    *,
    method: str = "GET",
    password: str = "admin",  # noqa: S107 (the simulator's default account)
    nc: int = 1,
    opaque: bool = True,
    username: str = "admin",
) -> str:
    """A Digest Authorization header computed by hand (RFC 7616, MD5, qop=auth)."""
    fields = parse_auth_params(challenge.removeprefix("Digest "))
    nonce, cnonce, nc_text = fields["nonce"], "0a4f113b", f"{nc:08x}"
    ha1 = md5(f"{username}:Web Server:{password}")
    ha2 = md5(f"{method}:{uri}")
    response = md5(f"{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}")
    header = (
        f'Digest username="{username}", realm="Web Server", nonce="{nonce}", uri="{uri}", '
        f'algorithm="MD5", qop=auth, nc={nc_text}, cnonce="{cnonce}", response="{response}"'
    )
    return header + (f', opaque="{OPAQUE}"' if opaque else "")


async def challenge_of(raw: httpx.AsyncClient) -> str:
    response = await raw.get(PORT_INFO)
    assert response.status_code == 401
    return response.headers["WWW-Authenticate"]


async def test_unauthenticated_request_gets_the_quoted_challenge(raw):
    response = await raw.get(PORT_INFO)
    assert response.status_code == 401
    assert CHALLENGE.match(response.headers["WWW-Authenticate"])
    second = await raw.get(PORT_INFO)
    assert second.headers["WWW-Authenticate"] != response.headers["WWW-Authenticate"]


async def test_httpx_digest_works_and_reuses_its_nonce(api, sim):
    for _ in range(3):
        response = await api.get(PORT_INFO)
        assert response.status_code == 200
        assert response.reason_phrase == "Data follows"
    # One challenge, then httpx answers preemptively with nc 2 and 3 on the same nonce.
    assert sim.request_counts["/api/get_port_info"] == 4
    assert sim.gate.handled_counts["/api/get_port_info"] == 3


async def test_wrong_password_is_challenged_again(dinstar_simulator):
    async with httpx.AsyncClient(
        base_url=dinstar_simulator.url, auth=httpx.DigestAuth("admin", "wrong")
    ) as client:
        response = await client.get(PORT_INFO)
    assert response.status_code == 401
    assert CHALLENGE.match(response.headers["WWW-Authenticate"])


async def test_hand_made_digest_without_opaque_is_accepted(raw):
    challenge = await challenge_of(raw)
    header = digest_header(challenge, PORT_INFO, opaque=False)
    response = await raw.get(PORT_INFO, headers={"Authorization": header})
    assert response.status_code == 200
    assert response.json()["info"] == [{"port": 0, "imei": response.json()["info"][0]["imei"]}]


async def test_replayed_nc_is_refused_and_rising_nc_accepted(raw):
    challenge = await challenge_of(raw)
    first = digest_header(challenge, PORT_INFO, nc=1)
    assert (await raw.get(PORT_INFO, headers={"Authorization": first})).status_code == 200
    replay = await raw.get(PORT_INFO, headers={"Authorization": first})
    assert replay.status_code == 401
    assert 'stale="FALSE"' in replay.headers["WWW-Authenticate"]
    third = digest_header(challenge, PORT_INFO, nc=3)
    assert (await raw.get(PORT_INFO, headers={"Authorization": third})).status_code == 200
    second = digest_header(challenge, PORT_INFO, nc=2)
    assert (await raw.get(PORT_INFO, headers={"Authorization": second})).status_code == 401


async def test_uri_must_be_the_full_request_target_with_query(raw):
    challenge = await challenge_of(raw)
    header = digest_header(challenge, "/api/get_port_info")
    assert (await raw.get(PORT_INFO, headers={"Authorization": header})).status_code == 401


async def test_unknown_nonce_and_wrong_user_and_bad_nc_are_refused(raw):
    challenge = await challenge_of(raw)
    forged = challenge.replace(parse_auth_params(challenge)["nonce"], "0" * 32)
    for header in (
        digest_header(forged, PORT_INFO),
        digest_header(challenge, PORT_INFO, username="root"),
        digest_header(challenge, PORT_INFO).replace("nc=00000001", "nc=zz"),
        digest_header(challenge, PORT_INFO).replace("qop=auth", "qop=auth-int"),
        digest_header(challenge, PORT_INFO, password="nope"),
        "Bearer abc",
    ):
        response = await raw.get(PORT_INFO, headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_expired_nonce_answers_stale_true(raw):
    challenge = await challenge_of(raw)
    assert (await raw.post("/_sim/expire-nonces")).json()["expired"] >= 1
    response = await raw.get(
        PORT_INFO, headers={"Authorization": digest_header(challenge, PORT_INFO)}
    )
    assert response.status_code == 401
    assert 'stale="TRUE"' in response.headers["WWW-Authenticate"]
    fresh = response.headers["WWW-Authenticate"]
    retry = await raw.get(PORT_INFO, headers={"Authorization": digest_header(fresh, PORT_INFO)})
    assert retry.status_code == 200


async def test_httpx_recovers_from_a_stale_cached_nonce(api, raw, sim):
    assert (await api.get(PORT_INFO)).status_code == 200
    await raw.post("/_sim/expire-nonces")
    assert (await api.get(PORT_INFO)).status_code == 200
    statuses = [entry["status"] for entry in sim.gate.log if entry["path"] == "/api/get_port_info"]
    assert statuses == [401, 200, 401, 200]


async def test_nonce_lifetime_switch_expires_nonces(raw):
    challenge = await challenge_of(raw)
    await raw.post("/_sim/faults", json={"nonce_lifetime": 0.001})
    header = digest_header(challenge, PORT_INFO)
    response = await raw.get(PORT_INFO, headers={"Authorization": header})
    assert 'stale="TRUE"' in response.headers["WWW-Authenticate"]


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def test_basic_only_when_accept_basic(raw):
    assert (await raw.get(PORT_INFO, headers=basic("admin", "admin"))).status_code == 401
    await raw.post("/_sim/faults", json={"accept_basic": True})
    assert (await raw.get(PORT_INFO, headers=basic("admin", "admin"))).status_code == 200
    assert (await raw.get(PORT_INFO, headers=basic("admin", "bad"))).status_code == 401
    bad_base64 = {"Authorization": "Basic !!!"}
    assert (await raw.get(PORT_INFO, headers=bad_base64)).status_code == 401


async def test_empty_post_probe_closes_the_connection(dinstar_simulator, raw):
    url = f"{dinstar_simulator.url}/api/send_sms"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await session.post(url, data=b"")
        # A GET is the workaround the spec describes: it gets the challenge.
        async with session.get(f"{dinstar_simulator.url}{PORT_INFO}") as response:
            assert response.status == 401
    await raw.post("/_sim/faults", json={"drop_empty_post_probe": False})
    async with aiohttp.ClientSession() as session, session.post(url, data=b"") as response:
        assert response.status == 401
    assert dinstar_simulator.sim.gate.log[0]["status"] is None


async def test_flaky_auth_answers_spurious_401_or_403(api, raw, sim):
    await raw.post("/_sim/faults", json={"flaky_auth_rate": 1.0})
    statuses = {(await api.get(PORT_INFO)).status_code for _ in range(12)}
    assert statuses == {401, 403}
    await raw.post("/_sim/faults", json={"flaky_auth_rate": 0.0})
    assert (await api.get(PORT_INFO)).status_code == 200


def test_verifier_forgets_old_nonces_and_checks_algorithm():
    verifier = DigestVerifier("admin", "admin")
    challenges = [verifier.challenge() for _ in range(4100)]
    assert verifier.nonce_count == 4096
    header = digest_header(challenges[-1], "/x").removeprefix("Digest ")
    assert verifier.check_digest(header, "GET", "/x") is Verdict.OK
    oldest = digest_header(challenges[0], "/x").removeprefix("Digest ")
    assert verifier.check_digest(oldest, "GET", "/x") is Verdict.INVALID
    sha = digest_header(challenges[-2], "/x").replace('algorithm="MD5"', "algorithm=SHA-256")
    assert verifier.check_digest(sha.removeprefix("Digest "), "GET", "/x") is Verdict.INVALID


def test_parse_auth_params_handles_quotes_and_escapes():
    parsed = parse_auth_params('username="a\\"b", nc=00000001, qop="auth", empty=""')
    assert parsed == {"username": 'a"b', "nc": "00000001", "qop": "auth", "empty": ""}
