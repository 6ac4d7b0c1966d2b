"""Digest auth: RFC worked examples, the gateway's own challenge, and two independent clients."""

import hashlib
import itertools
import re
import urllib.request

import httpx
from hypothesis import given, strategies as st
import pytest

from custom_components.sms_gateway.providers.digest import DigestAuth, scheme_of
from custom_components.sms_gateway.providers.errors import AuthError

# The gateway's challenge as quoted in specs/dinstar.md §2.3, odd spacing included.
GATEWAY_CHALLENGE = (
    'Digest realm="Web Server", domain="",qop="auth", '
    'nonce="2667ca7ba60da049ca03170247e563c3", opaque="5ccc069c403ebaf9f0171e9517f40e41",'
    'algorithm="MD5", stale="FALSE"'
)
GATEWAY_NONCE = "2667ca7ba60da049ca03170247e563c3"
GATEWAY_OPAQUE = "5ccc069c403ebaf9f0171e9517f40e41"
PASSWORD = "s3cret-Pa55"

# -- an independent verifier, written from the RFC 2617 / 7616 formulas --------------------------

_PARAM = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')


def parse_authorization(header: str) -> dict[str, str]:
    scheme, _, rest = header.partition(" ")
    assert scheme == "Digest"
    fields: dict[str, str] = {}
    for name, quoted, bare in _PARAM.findall(rest):
        assert name not in fields, f"{name} twice"
        fields[name] = re.sub(r"\\(.)", r"\1", quoted) if quoted or not bare else bare
    return fields


def quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 -- the RFC's algorithm


def server_accepts(
    header: str,
    *,
    password: str,
    realm: str,
    nonce: str,
    method: str,
    uri: str,
    opaque: str | None = None,
) -> bool:
    """What a Digest server checks: its own nonce/realm/uri/opaque and the response hash."""
    fields = parse_authorization(header)
    if (fields["realm"], fields["nonce"], fields["uri"]) != (realm, nonce, uri):
        return False
    if fields.get("opaque") != opaque:
        return False
    ha1 = md5(f"{fields['username']}:{realm}:{password}")
    if fields.get("algorithm", "MD5").upper() == "MD5-SESS":
        ha1 = md5(f"{ha1}:{nonce}:{fields['cnonce']}")
    ha2 = md5(f"{method}:{uri}")
    if "qop" in fields:
        assert fields["qop"] == "auth"
        assert re.fullmatch(r"[0-9a-f]{8}", fields["nc"])
        expected = md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    else:
        expected = md5(f"{ha1}:{nonce}:{ha2}")
    return fields["response"] == expected


# -- worked examples ------------------------------------------------------------------------------


def test_rfc2617_worked_example() -> None:
    auth = DigestAuth("Mufasa", "Circle Of Life", cnonce_factory=lambda: "0a4f113b")
    auth.update(
        'Digest realm="testrealm@host.com", qop="auth,auth-int", '
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
    )
    header = auth.authorization("GET", "/dir/index.html")
    assert header is not None
    assert parse_authorization(header) == {
        "username": "Mufasa",
        "realm": "testrealm@host.com",
        "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "uri": "/dir/index.html",
        "qop": "auth",
        "nc": "00000001",
        "cnonce": "0a4f113b",
        "response": "6629fae49393a05397450978507c4ef1",
        "opaque": "5ccc069c403ebaf9f0171e9517f40e41",
        "algorithm": "MD5",
    }
    # qop, nc and algorithm are tokens, the rest quoted strings (RFC 7616 §3.4).
    assert " qop=auth," in header
    assert " nc=00000001," in header
    assert header.endswith("algorithm=MD5")
    assert 'username="Mufasa"' in header


def test_rfc7616_md5_example() -> None:
    auth = DigestAuth(
        "Mufasa",
        "Circle of Life",
        cnonce_factory=lambda: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    )
    auth.update(
        'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, '
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
    )
    header = auth.authorization("GET", "/dir/index.html")
    assert header is not None
    assert parse_authorization(header)["response"] == "8ca523f5e9506fed4657c9700eebdbec"


# -- the gateway's challenge and its quirks --------------------------------------------------------


def test_nothing_to_answer_before_a_challenge() -> None:
    auth = DigestAuth("admin", PASSWORD)
    assert not auth.has_challenge
    assert auth.authorization("GET", "/api/query_sms_in_queue") is None


def test_gateway_challenge_reuses_nonce_with_rising_nc_and_fresh_cnonce() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(GATEWAY_CHALLENGE)
    assert auth.has_challenge
    uri = "/api/get_port_info?port=0,1,2&info_type=imei,imsi,signal"
    headers = [auth.authorization("GET", uri) for _ in range(3)]
    fields = [parse_authorization(h) for h in headers if h is not None]
    assert [f["nc"] for f in fields] == ["00000001", "00000002", "00000003"]
    assert len({f["cnonce"] for f in fields}) == 3
    assert {f["nonce"] for f in fields} == {GATEWAY_NONCE}
    assert {f["uri"] for f in fields} == {uri}
    for header in headers:
        assert header is not None
        assert server_accepts(
            header,
            password=PASSWORD,
            realm="Web Server",
            nonce=GATEWAY_NONCE,
            method="GET",
            uri=uri,
            opaque=GATEWAY_OPAQUE,
        )
        assert not server_accepts(
            header,
            password=PASSWORD,
            realm="Web Server",
            nonce=GATEWAY_NONCE,
            method="POST",
            uri=uri,
            opaque=GATEWAY_OPAQUE,
        )
        assert not server_accepts(
            header,
            password="admin",
            realm="Web Server",
            nonce=GATEWAY_NONCE,
            method="GET",
            uri=uri,
            opaque=GATEWAY_OPAQUE,
        )


def test_method_is_upper_cased() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(GATEWAY_CHALLENGE)
    header = auth.authorization("post", "/api/send_sms")
    assert header is not None
    assert server_accepts(
        header,
        password=PASSWORD,
        realm="Web Server",
        nonce=GATEWAY_NONCE,
        method="POST",
        uri="/api/send_sms",
        opaque=GATEWAY_OPAQUE,
    )


def test_new_nonce_restarts_count_same_nonce_keeps_counting() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(GATEWAY_CHALLENGE)
    auth.authorization("GET", "/a")
    auth.authorization("GET", "/a")
    auth.update(GATEWAY_CHALLENGE.replace('stale="FALSE"', 'stale="TRUE"'))
    header = auth.authorization("GET", "/a")
    assert header is not None
    assert parse_authorization(header)["nc"] == "00000003"
    auth.update(GATEWAY_CHALLENGE.replace(GATEWAY_NONCE, "ffff0000"))
    header = auth.authorization("GET", "/a")
    assert header is not None
    fields = parse_authorization(header)
    assert (fields["nonce"], fields["nc"]) == ("ffff0000", "00000001")


def test_missing_opaque_is_fine_and_not_sent() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(f'Digest realm="Web Server", qop="auth", nonce="{GATEWAY_NONCE}"')
    header = auth.authorization("GET", "/api/query_sms_in_queue")
    assert header is not None
    assert "opaque" not in parse_authorization(header)
    assert server_accepts(
        header,
        password=PASSWORD,
        realm="Web Server",
        nonce=GATEWAY_NONCE,
        method="GET",
        uri="/api/query_sms_in_queue",
    )


def test_no_qop_uses_rfc2069_response() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update("Digest realm=gw, nonce=abc123")
    header = auth.authorization("GET", "/x")
    assert header is not None
    fields = parse_authorization(header)
    assert "qop" not in fields
    assert "nc" not in fields
    assert fields["response"] == md5(f"{md5(f'admin:gw:{PASSWORD}')}:abc123:{md5('GET:/x')}")


def test_md5_sess() -> None:
    auth = DigestAuth("admin", PASSWORD, cnonce_factory=lambda: "c0ffee")
    auth.update('Digest realm="gw", nonce="n1", qop=auth, algorithm=MD5-sess')
    header = auth.authorization("GET", "/x")
    assert header is not None
    assert parse_authorization(header)["algorithm"] == "MD5-sess"
    assert server_accepts(header, password=PASSWORD, realm="gw", nonce="n1", method="GET", uri="/x")
    plain = DigestAuth("admin", PASSWORD, cnonce_factory=lambda: "c0ffee")
    plain.update('Digest realm="gw", nonce="n1", qop=auth')
    other = plain.authorization("GET", "/x")
    assert other is not None
    assert parse_authorization(other)["response"] != parse_authorization(header)["response"]


def test_md5_sess_without_qop_sends_its_cnonce() -> None:
    auth = DigestAuth("admin", PASSWORD, cnonce_factory=lambda: "c0ffee")
    auth.update('Digest realm="gw", nonce="n1", algorithm=MD5-sess')
    header = auth.authorization("GET", "/x")
    assert header is not None
    fields = parse_authorization(header)
    assert fields["cnonce"] == "c0ffee"
    assert "nc" not in fields
    assert server_accepts(header, password=PASSWORD, realm="gw", nonce="n1", method="GET", uri="/x")


def test_quotes_in_values_are_escaped_both_ways() -> None:
    auth = DigestAuth('ad"min\\', PASSWORD, cnonce_factory=lambda: "c1")
    auth.update(r'Digest realm="Web \"Server\", 2", nonce="n,1", qop="auth"')
    header = auth.authorization("GET", "/x")
    assert header is not None
    fields = parse_authorization(header)
    assert fields["username"] == 'ad"min\\'
    assert fields["realm"] == 'Web "Server", 2'
    assert fields["nonce"] == "n,1"
    assert server_accepts(
        header, password=PASSWORD, realm='Web "Server", 2', nonce="n,1", method="GET", uri="/x"
    )


@pytest.mark.parametrize(
    "header",
    [
        'Basic realm="x", Digest realm="Web Server", nonce="n1", qop="auth"',
        'Digest   realm = "Web Server" ,nonce=n1 ,, qop = auth',
        'digest REALM="Web Server", NONCE="n1", QOP="AUTH"',
        'Digest algorithm=SHA-256, realm="Web Server", nonce="n0", qop=auth, '
        'Digest algorithm=MD5, realm="Web Server", nonce="n1", qop=auth',
    ],
)
def test_parser_is_robust(header: str) -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(header)
    result = auth.authorization("GET", "/x")
    assert result is not None
    assert server_accepts(
        result, password=PASSWORD, realm="Web Server", nonce="n1", method="GET", uri="/x"
    )


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("", "did not offer Digest"),
        ('Basic realm="Web Server"', "did not offer Digest"),
        ('Digest realm="r", nonce="n", algorithm=SHA-256, qop=auth', "algorithm"),
        ('Digest realm="r", nonce="n", algorithm="SHA-512-256"', "algorithm"),
        ('Digest realm="r", nonce="n", qop="auth-int"', "qop"),
        ('Digest realm="r", qop="auth"', "nonce"),
        ('Digest realm="r", nonce="", qop="auth"', "nonce"),
        ('Digest nonce="n", qop="auth"', "realm"),
    ],
)
def test_unanswerable_challenges(header: str, reason: str) -> None:
    auth = DigestAuth("admin", PASSWORD)
    with pytest.raises(AuthError, match=reason) as caught:
        auth.update(header)
    assert PASSWORD not in str(caught.value)
    assert not auth.has_challenge


def test_refused_challenge_keeps_the_previous_one() -> None:
    auth = DigestAuth("admin", PASSWORD)
    auth.update(GATEWAY_CHALLENGE)
    with pytest.raises(AuthError):
        auth.update('Digest realm="r", nonce="n", algorithm=SHA-256')
    header = auth.authorization("GET", "/x")
    assert header is not None
    assert parse_authorization(header)["nonce"] == GATEWAY_NONCE


def test_basic_authorization() -> None:
    assert DigestAuth("admin", "admin").basic_authorization() == "Basic YWRtaW46YWRtaW4="
    # RFC 7617 §2 example.
    basic = DigestAuth("Aladdin", "open sesame").basic_authorization()
    assert basic == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


@pytest.mark.parametrize(
    ("header", "stale"),
    [
        (GATEWAY_CHALLENGE.replace('stale="FALSE"', 'stale="TRUE"'), True),
        ('Digest realm="r", nonce="n", stale=true', True),
        ('Digest realm="r", nonce="n", stale = "True" ', True),
        (GATEWAY_CHALLENGE, False),
        ('Digest realm="r", nonce="n"', False),
        ('Basic realm="r", stale=true', False),
        ("", False),
        ('"""===,,,', False),
    ],
)
def test_challenge_is_stale(header: str, stale: bool) -> None:
    assert DigestAuth.challenge_is_stale(header) is stale


@pytest.mark.parametrize(
    ("header", "scheme"),
    [
        (GATEWAY_CHALLENGE, "digest"),
        ('Basic realm="Web Server"', "basic"),
        ('BASIC realm="x", Digest realm="y", nonce="n"', "digest"),
        ("Bearer realm=x", None),
        ("", None),
        ("   ", None),
        ('="Digest"', None),
    ],
)
def test_scheme_of(header: str, scheme: str | None) -> None:
    assert scheme_of(header) == scheme


def test_password_never_shown() -> None:
    auth = DigestAuth("admin", PASSWORD)
    assert PASSWORD not in repr(auth)
    assert PASSWORD not in str(auth)
    auth.update(GATEWAY_CHALLENGE)
    assert PASSWORD not in repr(auth)
    assert "Web Server" in repr(auth)
    header = auth.authorization("GET", "/x")
    assert header is not None
    assert PASSWORD not in header


# -- cross-checks with clients we did not write ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "uri"),
    [
        ("GET", "http://gw.local/api/get_port_info?port=0,1&info_type=imei", None),
        ("POST", "https://gw.local:8443/api/send_sms", "/api/send_sms"),
    ],
)
def test_matches_httpx_digest(method: str, url: str, uri: str | None) -> None:
    request = httpx.Request(method, url)
    flow = httpx.DigestAuth("admin", PASSWORD).sync_auth_flow(request)
    first = next(flow)
    assert "Authorization" not in first.headers
    challenged = flow.send(
        httpx.Response(401, headers={"WWW-Authenticate": GATEWAY_CHALLENGE}, request=first)
    )
    theirs = challenged.headers["Authorization"]
    their_fields = parse_authorization(theirs)
    uri = uri or their_fields["uri"]
    # The verifier agrees with httpx, so it is not just agreeing with us.
    assert server_accepts(
        theirs,
        password=PASSWORD,
        realm="Web Server",
        nonce=GATEWAY_NONCE,
        method=method,
        uri=uri,
        opaque=GATEWAY_OPAQUE,
    )
    ours = DigestAuth("admin", PASSWORD, cnonce_factory=lambda: their_fields["cnonce"])
    ours.update(GATEWAY_CHALLENGE)
    header = ours.authorization(method, uri)
    assert header is not None
    our_fields = parse_authorization(header)
    assert our_fields["nc"] == their_fields["nc"]
    assert our_fields["response"] == their_fields["response"]
    assert server_accepts(
        header,
        password=PASSWORD,
        realm="Web Server",
        nonce=GATEWAY_NONCE,
        method=method,
        uri=uri,
        opaque=GATEWAY_OPAQUE,
    )


def test_matches_urllib_digest() -> None:
    url = "http://gw.local/api/query_ussd_reply?port=1,2,3"
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, "admin", PASSWORD)
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    challenge = urllib.request.parse_keqv_list(
        urllib.request.parse_http_list(GATEWAY_CHALLENGE.removeprefix("Digest "))
    )
    request = urllib.request.Request(url)  # noqa: S310 -- never opened, only signed
    theirs = handler.get_authorization(request, challenge)
    assert theirs is not None
    their_fields = parse_authorization(f"Digest {theirs}")
    assert their_fields["uri"] == "/api/query_ussd_reply?port=1,2,3"
    ours = DigestAuth("admin", PASSWORD, cnonce_factory=lambda: their_fields["cnonce"])
    ours.update(GATEWAY_CHALLENGE)
    header = ours.authorization("GET", their_fields["uri"])
    assert header is not None
    assert parse_authorization(header)["response"] == their_fields["response"]


# -- properties -----------------------------------------------------------------------------------

header_text = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            ["Digest", "Basic", "realm", "nonce", "qop", "=", '"', ",", " ", "auth", "\\", "MD5"]
        )
    ).map("".join),
)


@given(header=header_text)
def test_header_handling_raises_only_auth_error(header: str) -> None:
    assert scheme_of(header) in {"digest", "basic", None}
    assert DigestAuth.challenge_is_stale(header) in {True, False}
    auth = DigestAuth("admin", PASSWORD)
    refusal: AuthError | None = None
    try:
        auth.update(header)
    except AuthError as err:
        refusal = err
    if refusal is None:
        assert auth.authorization("GET", "/x") is not None
    else:
        assert PASSWORD not in str(refusal)
        assert auth.authorization("GET", "/x") is None


credential = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20
)


@given(username=credential, password=credential, realm=credential, nonce=credential)
def test_any_credentials_verify(username: str, password: str, realm: str, nonce: str) -> None:
    counter = itertools.count()
    auth = DigestAuth(username, password, cnonce_factory=lambda: f"c{next(counter)}")
    auth.update(f"Digest realm={quoted(realm)}, nonce={quoted(nonce)}, qop=auth")
    header = auth.authorization("GET", "/api/x?a=1")
    assert header is not None
    assert parse_authorization(header)["username"] == username
    assert server_accepts(
        header, password=password, realm=realm, nonce=nonce, method="GET", uri="/api/x?a=1"
    )
