"""An SMPP login the server refuses raises a repair; the next bind clears it.

The link tries again every 30 to 60 s and sends fail meanwhile, while the SMPP link sensor that
says `refused` is a diagnostic one, which dashboards do not show.
"""

from __future__ import annotations

from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN
from ..providers.plasgate.smpp import LinkState

ISSUE_SMPP_LOGIN_REFUSED: Final = "smpp_login_refused"


def smpp_login_issue_id(entry_id: str) -> str:
    """One issue per account."""
    return f"{ISSUE_SMPP_LOGIN_REFUSED}_{entry_id}"


@callback
def async_follow_smpp_login(hass: HomeAssistant, entry: ConfigEntry, state: LinkState) -> None:
    """Raise the issue when a bind is refused, clear it when one succeeds."""
    if state is LinkState.BOUND:
        async_delete_smpp_login_issue(hass, entry.entry_id)
    elif state is LinkState.REFUSED:
        ir.async_create_issue(
            hass,
            DOMAIN,
            smpp_login_issue_id(entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_SMPP_LOGIN_REFUSED,
            translation_placeholders={"account": entry.title},
        )


@callback
def async_delete_smpp_login_issue(hass: HomeAssistant, entry_id: str) -> None:
    """Withdraw the issue: bound again, SMPP switched off, or the account removed."""
    ir.async_delete_issue(hass, DOMAIN, smpp_login_issue_id(entry_id))
