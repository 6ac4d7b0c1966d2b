"""HTTP Digest (RFC 7616 / RFC 2617, MD5, qop=auth) for aiohttp 3.11, which has no Digest support.

The caller sends a request, feeds a 401's `WWW-Authenticate` to `update`, and then puts
`authorization(method, uri)` on every request until the server challenges again. One nonce is
reused with a rising `nc` and a fresh `cnonce` per request, as Dinstar gateways expect.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
import hashlib
import secrets
from typing import Final, Literal

from .errors import AuthError

_SUPPORTED_ALGORITHMS: Final = frozenset({"MD5", "MD5-SESS"})
_TOKEN_STOP: Final = frozenset(' \t,="')
_WHITESPACE: Final = frozenset(" \t\r\n")
_SHOWN_VALUE_LENGTH: Final = 32  # server-chosen values are cut to this in error messages

type Scheme = Literal["digest", "basic"]


def _parse_challenges(header: str) -> list[tuple[str, dict[str, str]]]:
    """Split a (possibly comma-joined) WWW-Authenticate value into (scheme, params), never raising.

    Tolerates odd spacing (`domain="",qop="auth"`), commas inside quotes, unquoted values and an
    unterminated quote (read to the end). A parameter before any scheme is dropped.
    """
    challenges: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    pos = 0
    end = len(header)
    while pos < end:
        while pos < end and (header[pos] in _WHITESPACE or header[pos] == ","):
            pos += 1
        start = pos
        while pos < end and header[pos] not in _TOKEN_STOP and header[pos] not in _WHITESPACE:
            pos += 1
        token = header[start:pos]
        while pos < end and header[pos] in _WHITESPACE:
            pos += 1
        if pos < end and header[pos] == "=":
            value, pos = _read_value(header, pos + 1)
            if current is not None and token:
                current.setdefault(token.lower(), value)
        elif token:
            current = {}
            challenges.append((token.lower(), current))
        elif pos < end:
            pos += 1  # a stray quote: skip it rather than loop
    return challenges


def _read_value(header: str, pos: int) -> tuple[str, int]:
    """Read a token or quoted-string value starting at pos; return it and the position after it."""
    end = len(header)
    while pos < end and header[pos] in _WHITESPACE:
        pos += 1
    if pos < end and header[pos] == '"':
        chars: list[str] = []
        pos += 1
        while pos < end and header[pos] != '"':
            if header[pos] == "\\" and pos + 1 < end:
                pos += 1
            chars.append(header[pos])
            pos += 1
        return "".join(chars), pos + 1
    start = pos
    while pos < end and header[pos] != "," and header[pos] not in _WHITESPACE:
        pos += 1
    return header[start:pos], pos


def scheme_of(www_authenticate: str) -> Scheme | None:
    """Name the scheme a challenge asks for, preferring Digest when both are offered."""
    schemes = {scheme for scheme, _ in _parse_challenges(www_authenticate)}
    if "digest" in schemes:
        return "digest"
    if "basic" in schemes:
        return "basic"
    return None


def _md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _quote(value: str) -> str:
    """Make a quoted-string, escaping what would end it early."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _shown(value: str) -> str:
    """Cut a server-chosen value so an error message stays short."""
    return repr(value[:_SHOWN_VALUE_LENGTH])


def _new_cnonce() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class _Challenge:
    realm: str
    nonce: str
    algorithm: str  # upper case: MD5 or MD5-SESS
    qop: str | None  # "auth", or None for an RFC 2069 server that offers no qop
    opaque: str | None


def _challenge_from(params: dict[str, str]) -> _Challenge:
    """Check one Digest challenge's parameters; raise AuthError for what we cannot answer."""
    algorithm = params.get("algorithm", "MD5").upper()
    if algorithm not in _SUPPORTED_ALGORITHMS:
        raise AuthError(f"Unsupported Digest algorithm {_shown(algorithm)}")
    qop: str | None = None
    if "qop" in params:
        offered = {option.strip().lower() for option in params["qop"].split(",")}
        if "auth" not in offered:
            raise AuthError(f"Unsupported Digest qop {_shown(params['qop'])}")
        qop = "auth"
    nonce = params.get("nonce", "")
    if not nonce:
        raise AuthError("The Digest challenge has no nonce")
    if "realm" not in params:
        raise AuthError("The Digest challenge has no realm")
    return _Challenge(
        realm=params["realm"],
        nonce=nonce,
        algorithm=algorithm,
        qop=qop,
        opaque=params.get("opaque"),
    )


class DigestAuth:
    """Credentials plus the last Digest challenge, answering it for one request after another."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        cnonce_factory: Callable[[], str] = _new_cnonce,
    ) -> None:
        """Keep the credentials; the cnonce source is injectable so tests can be exact."""
        self._username = username
        self._password = password
        self._cnonce_factory = cnonce_factory
        self._challenge: _Challenge | None = None
        self._nonce_count = 0

    def __repr__(self) -> str:
        """Show who, and whether challenged; never the password."""
        realm = self._challenge.realm if self._challenge else None
        return (
            f"DigestAuth(username={self._username!r}, realm={realm!r}, "
            f"has_challenge={self.has_challenge})"
        )

    @property
    def has_challenge(self) -> bool:
        """Whether a challenge has been seen, so requests can carry Digest pre-emptively."""
        return self._challenge is not None

    def update(self, www_authenticate: str) -> None:
        """Take the Digest challenge from a 401; a new nonce restarts the count at 1."""
        digest_offers = [
            params for scheme, params in _parse_challenges(www_authenticate) if scheme == "digest"
        ]
        if not digest_offers:
            raise AuthError("The server did not offer Digest authentication")
        refusals: list[AuthError] = []
        for params in digest_offers:
            try:
                challenge = _challenge_from(params)
            except AuthError as err:
                refusals.append(err)
                continue
            if self._challenge is None or self._challenge.nonce != challenge.nonce:
                self._nonce_count = 0
            self._challenge = challenge
            return
        raise refusals[0]

    def authorization(self, method: str, uri: str) -> str | None:
        """Build the Authorization value for one request; uri is the path with its query string."""
        challenge = self._challenge
        if challenge is None:
            return None
        self._nonce_count += 1
        nc = f"{self._nonce_count:08x}"
        cnonce = self._cnonce_factory()
        ha1 = _md5_hex(f"{self._username}:{challenge.realm}:{self._password}")
        if challenge.algorithm == "MD5-SESS":
            ha1 = _md5_hex(f"{ha1}:{challenge.nonce}:{cnonce}")
        ha2 = _md5_hex(f"{method.upper()}:{uri}")
        if challenge.qop is None:
            response = _md5_hex(f"{ha1}:{challenge.nonce}:{ha2}")
        else:
            response = _md5_hex(f"{ha1}:{challenge.nonce}:{nc}:{cnonce}:{challenge.qop}:{ha2}")
        parts = [
            f"username={_quote(self._username)}",
            f"realm={_quote(challenge.realm)}",
            f"nonce={_quote(challenge.nonce)}",
            f"uri={_quote(uri)}",
            f'response="{response}"',
        ]
        if challenge.qop is not None:
            parts += [f"qop={challenge.qop}", f"nc={nc}", f"cnonce={_quote(cnonce)}"]
        elif challenge.algorithm == "MD5-SESS":
            parts.append(f"cnonce={_quote(cnonce)}")
        if challenge.opaque is not None:
            parts.append(f"opaque={_quote(challenge.opaque)}")
        algorithm = "MD5-sess" if challenge.algorithm == "MD5-SESS" else "MD5"
        parts.append(f"algorithm={algorithm}")
        return "Digest " + ", ".join(parts)

    def basic_authorization(self) -> str:
        """Build a pre-emptive Basic value, for gateways that accept Basic instead."""
        token = base64.b64encode(f"{self._username}:{self._password}".encode()).decode("ascii")
        return f"Basic {token}"

    @staticmethod
    def challenge_is_stale(www_authenticate: str) -> bool:
        """Whether the server only wants a new nonce (stale=TRUE), not other credentials."""
        return any(
            scheme == "digest" and params.get("stale", "").strip().lower() == "true"
            for scheme, params in _parse_challenges(www_authenticate)
        )
