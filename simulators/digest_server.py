"""Server side of HTTP Digest (MD5, qop=auth) as a Dinstar/GoAhead web server challenges for it.

The challenge text is byte for byte the one quoted in the spec (§2.3, §3.2), odd spacing included.
"""

import base64
import binascii
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
import enum
import hashlib
import hmac
import re
import secrets
import time

REALM = "Web Server"
OPAQUE = "5ccc069c403ebaf9f0171e9517f40e41"
_MAX_NONCES = 4096
_PARAM = re.compile(r'([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')


class Verdict(enum.Enum):
    """What an Authorization header is worth."""

    OK = "ok"
    INVALID = "invalid"
    STALE = "stale"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def parse_auth_params(text: str) -> dict[str, str]:
    """Split `k="v", k2=v2` into a dict (keys lower-cased, quotes and escapes removed)."""
    params: dict[str, str] = {}
    for match in _PARAM.finditer(text):
        quoted, bare = match.group(2), match.group(3)
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        params[match.group(1).lower()] = value
    return params


@dataclass
class _Nonce:
    issued_at: float
    last_nc: int = 0
    expired: bool = False


class DigestVerifier:
    """Issues nonces and checks Digest (and, when asked, Basic) credentials against one account."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        lifetime: Callable[[], float] = lambda: 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Lifetime is read at every check, so a fault switch can shorten it at run time."""
        self.username = username
        self.password = password
        self._lifetime = lifetime
        self._clock = clock
        self._nonces: OrderedDict[str, _Nonce] = OrderedDict()

    def challenge(self, *, stale: bool = False) -> str:
        """Issue a fresh nonce and return the WWW-Authenticate value carrying it."""
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = _Nonce(self._clock())
        while len(self._nonces) > _MAX_NONCES:
            self._nonces.popitem(last=False)
        return (
            f'Digest realm="{REALM}", domain="",qop="auth", nonce="{nonce}", '
            f'opaque="{OPAQUE}",algorithm="MD5", stale="{"TRUE" if stale else "FALSE"}"'
        )

    def expire_all(self) -> None:
        """Make every nonce issued so far stale (the next use gets stale="TRUE")."""
        for record in self._nonces.values():
            record.expired = True

    def forget_all(self) -> None:
        """Forget every nonce, as a reboot does: the next use is refused as unknown, not stale."""
        self._nonces.clear()

    @property
    def nonce_count(self) -> int:
        """How many nonces are remembered (issued and not yet forgotten)."""
        return len(self._nonces)

    def check_basic(self, credentials: str) -> bool:
        """Whether a Basic credential (the part after "Basic ") names our account."""
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, _, password = decoded.partition(":")
        return hmac.compare_digest(username, self.username) and hmac.compare_digest(
            password, self.password
        )

    def check_digest(self, credentials: str, method: str, uri: str) -> Verdict:
        """Check a Digest credential (the part after "Digest ") for a request.

        uri is the request-target exactly as sent (path and query): the `uri` field must equal it.
        """
        fields = parse_auth_params(credentials)
        nonce = fields.get("nonce", "")
        record = self._nonces.get(nonce)
        if (
            record is None
            or fields.get("username") != self.username
            or fields.get("realm") != REALM
            or fields.get("uri") != uri
            or fields.get("qop") != "auth"
            or fields.get("algorithm", "MD5").upper() != "MD5"
            or fields.get("opaque", OPAQUE) != OPAQUE
            or not fields.get("cnonce")
        ):
            return Verdict.INVALID
        try:
            nc = int(fields.get("nc", ""), 16)
        except ValueError:
            return Verdict.INVALID
        ha1 = _md5(f"{self.username}:{REALM}:{self.password}")
        ha2 = _md5(f"{method}:{uri}")
        expected = _md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        if not hmac.compare_digest(expected, fields.get("response", "").lower()):
            return Verdict.INVALID
        if record.expired or self._clock() - record.issued_at > self._lifetime():
            record.expired = True
            return Verdict.STALE
        if nc <= record.last_nc:
            return Verdict.INVALID
        record.last_nc = nc
        return Verdict.OK
