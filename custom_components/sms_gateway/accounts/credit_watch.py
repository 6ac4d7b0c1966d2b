"""An account with no SMS left raises a repair; the first balance with credit clears it.

The balance is read every half hour and after each send, so the notice comes before an
automation's SMS silently stops going out, and goes once the account is topped up.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN
from .balance import SmsLinkBalanceCoordinator

ISSUE_OUT_OF_CREDIT: Final = "out_of_credit"


def out_of_credit_issue_id(entry_id: str) -> str:
    """One issue per account."""
    return f"{ISSUE_OUT_OF_CREDIT}_{entry_id}"


@callback
def async_follow_credit(
    hass: HomeAssistant, balance: SmsLinkBalanceCoordinator, learn_more_url: str
) -> CALLBACK_TYPE:
    """Raise or clear the issue at each balance read; return what stops following.

    The repair links to the service's site (learn_more_url), where credit is bought.
    """
    entry = balance.config_entry

    @callback
    def check() -> None:
        if not balance.last_update_success or balance.data is None:
            return  # an unread balance says nothing about the credit
        issue_id = out_of_credit_issue_id(entry.entry_id)
        if balance.data.national or balance.data.international:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_OUT_OF_CREDIT,
            translation_placeholders={"account": entry.title},
            learn_more_url=learn_more_url,
        )

    check()
    return balance.async_add_listener(check)


@callback
def async_delete_credit_issue(hass: HomeAssistant, entry_id: str) -> None:
    """Withdraw the issue of a removed account."""
    ir.async_delete_issue(hass, DOMAIN, out_of_credit_issue_id(entry_id))
