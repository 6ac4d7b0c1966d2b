"""What index.php, json.php and BULK v3 share: one connection's login and the business outcome.

Each API checks the same credentials, refuses with the same configurable error codes (spec §3.8
`error_codes`) and answers business errors with the same HTTP status; only the rendering differs.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulators.smslink.account import Account
from simulators.smslink.faults import DEFAULT_ERROR_CODES
from simulators.smslink.sending import Sending


@dataclass
class Outcome:
    """A business answer: MESSAGE or ERROR, its code, text and variables."""

    kind: str
    code: int
    text: str
    variables: list[str] = field(default_factory=list)
    message_id: str | None = None
    credit: int | None = None


def error_outcome(faults: Mapping[str, Any], kind: str) -> Outcome:
    """Return the configured (code, text) of an error kind (spec §3.8 `error_codes`)."""
    code, text = faults["error_codes"].get(kind, DEFAULT_ERROR_CODES[kind])
    return Outcome("ERROR", int(code), str(text))


def http_status(outcome: Outcome, faults: Mapping[str, Any]) -> int:
    """200 for a MESSAGE; an ERROR gets the `business_error_http_status` switch."""
    return 200 if outcome.kind == "MESSAGE" else int(faults["business_error_http_status"])


@dataclass(eq=False)
class Connection:
    """One connection of an account: its login, and where accepted messages go."""

    _account: Account
    _sending: Sending
    _faults: Mapping[str, Any]
    _connection_id: str
    _password: str

    def _logged_in(self, params: Mapping[str, str]) -> bool:
        """Whether the request names this connection with its password."""
        return (
            params.get("connection_id") == self._connection_id
            and params.get("password") == self._password
        )
