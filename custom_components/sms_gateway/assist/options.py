"""The SMS to Assist options of a gateway or an SMSLink account, shared by both options flows.

Kept under options["assist"] as the form gives them, the numbers in E.164: a sender then matches
however the gateway, the service or the user writes the number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.const import CONF_ENABLED
from homeassistant.helpers.selector import BooleanSelector, ConversationAgentSelector
import voluptuous as vol

from ..const import CONF_AGENT, CONF_ASSIST, CONF_NUMBERS, CONF_RATE_LIMIT
from ..form_fields import phone_numbers_field, whole_number_field
from ..phone_numbers import international_number, sort_numbers

DEFAULT_AGENT: Final = "conversation.home_assistant"
"""Home Assistant's own agent (conversation.HOME_ASSISTANT_AGENT, not imported: optional)."""
DEFAULT_RATE_LIMIT: Final = 10
RATE_LIMIT_RANGE: Final = (1, 100)  # SMS per number per hour


@dataclass(frozen=True, slots=True, kw_only=True)
class AssistSettings:
    """What the options say; off, with nobody allowed, unless the user says otherwise."""

    enabled: bool = False
    numbers: frozenset[str] = frozenset()
    agent_id: str = DEFAULT_AGENT
    rate_limit: int = DEFAULT_RATE_LIMIT


def assist_settings(options: Mapping[str, Any]) -> AssistSettings:
    """Read the stored options, filling in the defaults."""
    stored: Mapping[str, Any] = options.get(CONF_ASSIST) or {}
    return AssistSettings(
        enabled=bool(stored.get(CONF_ENABLED, False)),
        numbers=frozenset(stored.get(CONF_NUMBERS, ())),
        agent_id=str(stored.get(CONF_AGENT) or DEFAULT_AGENT),
        rate_limit=int(stored.get(CONF_RATE_LIMIT, DEFAULT_RATE_LIMIT)),
    )


def assist_schema() -> vol.Schema:
    """Build the fields anew each time: suggested values are written into the schema."""
    return vol.Schema(
        {
            vol.Required(CONF_ENABLED, default=False): BooleanSelector(),
            vol.Optional(CONF_NUMBERS): phone_numbers_field(),
            vol.Required(CONF_AGENT, default=DEFAULT_AGENT): ConversationAgentSelector(),
            vol.Required(CONF_RATE_LIMIT, default=DEFAULT_RATE_LIMIT): whole_number_field(
                RATE_LIMIT_RANGE, "SMS/h"
            ),
        }
    )


def assist_shown(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored options as the form shows them."""
    settings = assist_settings(options)
    return {
        CONF_ENABLED: settings.enabled,
        CONF_NUMBERS: sorted(settings.numbers),
        CONF_AGENT: settings.agent_id,
        CONF_RATE_LIMIT: settings.rate_limit,
    }


def assist_from_form(
    user_input: Mapping[str, Any], country: str | None
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Return the options to store and the bad numbers with their positions (sort_numbers)."""
    numbers, bad = sort_numbers(
        user_input.get(CONF_NUMBERS, []), lambda number: international_number(number, country)
    )
    options = {
        CONF_ENABLED: bool(user_input[CONF_ENABLED]),
        CONF_NUMBERS: list(dict.fromkeys(numbers)),
        CONF_AGENT: str(user_input[CONF_AGENT]),
        CONF_RATE_LIMIT: int(user_input[CONF_RATE_LIMIT]),
    }
    return options, bad
