"""`index.php` (text lines) and `json.php` (JSON) of spec §3.3 and §3.4.

Both read the same parameters and share one outcome; only the rendering differs.
"""

from collections.abc import Mapping
import json
from typing import Any

from aiohttp import web

from simulators.smslink.account import NUMERIC_SENDER
from simulators.smslink.connection import Connection, Outcome, error_outcome, http_status
from simulators.smslink.sending import SendError

BALANCE_CODE = 4
SENT_CODE = 1


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value)


async def request_params(request: web.Request, *, json_body: bool) -> dict[str, str]:
    """Query parameters, overlaid by a form body (index.php) or a JSON object (json.php)."""
    params = dict(request.query)
    if request.method != "POST":
        return params
    if json_body:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            body = None
        if isinstance(body, dict):
            params |= {key: _as_text(value) for key, value in body.items() if value is not None}
        return params
    form = await request.post()
    params |= {key: value for key, value in form.items() if isinstance(value, str)}
    return params


class SingleSend(Connection):
    """The logic behind index.php and json.php."""

    def answer(self, params: Mapping[str, str]) -> Outcome:
        """Validate in spec order, then send or report the balance."""
        if not self._logged_in(params):
            return error_outcome(self._faults, "auth")
        mode = params.get("mode", "").lower()
        if mode == "account-balance":
            return self._balance()
        if mode == "credit":
            return self._credit()
        to, text = params.get("to", ""), params.get("message", "")
        if not to or not text:
            return error_outcome(self._faults, "missing_parameter")
        sender = params.get("sender") or NUMERIC_SENDER
        test = params.get("test") == "1" and self._faults["test_mode_on_http"] == "accepted"
        try:
            message = self._sending.send_single(
                to, text, sender, _scheduled(params.get("timestamp")), test=test, via="http"
            )
        except SendError as err:
            return error_outcome(self._faults, err.kind)
        shown_id = str(message.message_id)
        if test and self._faults["test_mode_message_id"] == "0":
            shown_id = "0"
        return Outcome(
            "MESSAGE",
            SENT_CODE,
            f"Message sent to {message.to} from {message.sender} with ID {shown_id}!",
            [shown_id, message.to, message.sender],
            message_id=shown_id,
        )

    def _balance(self) -> Outcome:
        national, international = self._account.national_credit, self._account.international_credit
        return Outcome(
            "MESSAGE",
            BALANCE_CODE,
            f"Account balance is {national} national SMS and {international} international SMS",
            [str(national), str(international), str(self._account.now())],
            credit=national + international,
        )

    def _credit(self) -> Outcome:
        outcome = self._balance()
        if self._faults["credit_mode_layout"] == "available,timestamp":
            outcome.variables = [str(outcome.credit), outcome.variables[2]]
        return outcome


def _scheduled(value: str | None) -> int:
    """Return the scheduled UNIX time; absent, zero or junk means now (0)."""
    return int(value) if value is not None and value.isdigit() else 0


def render_line(outcome: Outcome, faults: Mapping[str, Any]) -> web.Response:
    """`MESSAGE;code;text;vars` or `ERROR;code;text` as text/plain."""
    parts = [outcome.kind, str(outcome.code), outcome.text]
    if outcome.variables:
        parts.append(",".join(outcome.variables))
    return web.Response(text=";".join(parts), status=http_status(outcome, faults))


def render_json(outcome: Outcome, faults: Mapping[str, Any], *, credit_mode: bool) -> web.Response:
    """Render the json.php object; IDs are strings unless json_ids_as_numbers is on."""

    def as_id(value: str) -> str | int:
        return int(value) if faults["json_ids_as_numbers"] else value

    body: dict[str, Any] = {
        "response_type": outcome.kind,
        "response_id": as_id(str(outcome.code)),
        "response_message": outcome.text,
    }
    if outcome.message_id is not None:
        body["message_id"] = as_id(outcome.message_id)
    if credit_mode and faults["json_credit_key"] and outcome.credit is not None:
        body["credit"] = outcome.credit
    return web.json_response(body, status=http_status(outcome, faults))
