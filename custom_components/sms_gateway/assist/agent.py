"""SMS to Assist: allowed numbers talk to a conversation agent by SMS and get its answer by SMS.

Off by default. Only senders on the entry's allow-list reach the agent, each at most `rate_limit`
times in any hour; every other SMS stays an ordinary incoming SMS. The answer goes back to the
sender once, through the port (gateway) or account the command came in on: a send that may have
gone out is not repeated, and a command over the limit gets no answer at all (an answer would cost
an SMS, and two automatic responders would text each other without end). Each command fires
`sms_gateway_assist` with what became of it, which the logbook shows as one line.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
import time
from typing import Any, Final
import unicodedata

from homeassistant.core import CALLBACK_TYPE, Context, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from ..bus_events import Origin, async_fire_assist
from ..const import ATTR_PORTS, CONF_PROVIDER, EVENT_SMS_RECEIVED, LOGGER, AssistOutcome
from ..phone_numbers import international_number
from ..providers.errors import InvalidInputError, ProviderError
from ..providers.text import mask_number, plan_text
from ..runtime import SmsGatewayEntry
from ..send_request import async_send
from .options import AssistSettings, assist_settings

RATE_WINDOW: Final = 3600.0  # seconds
REPLY_SEGMENTS: Final = 3
"""The most SMS an answer costs: a longer one is cut at a word and ends with "..."."""
_KEPT_CONTROLS: Final = frozenset("\n\r\f")


class RateLimit:
    """At most `limit` commands per number in any hour (a sliding window)."""

    def __init__(self, limit: int, window: float = RATE_WINDOW) -> None:
        """Nobody has used any yet."""
        self._limit = limit
        self._window = window
        self._used: dict[str, deque[float]] = {}

    def allow(self, number: str, now: float) -> bool:
        """Count a command if the number has room for it; say whether it had."""
        used = self._used.setdefault(number, deque())
        while used and now - used[0] >= self._window:
            used.popleft()
        if len(used) >= self._limit:
            return False
        used.append(now)
        return True


def _fits(text: str, segments: int) -> bool:
    try:
        return plan_text(text).segments <= segments
    except InvalidInputError:  # over the bytes or segments any SMS may have
        return False


def sms_reply(speech: str, segments: int = REPLY_SEGMENTS) -> str:
    """Make an agent's answer an SMS: no control characters but line breaks, and short enough.

    A long answer is cut at a word and ends with "..." (an ellipsis character would make the
    whole answer Unicode, and cost more SMS).
    """
    whole = "".join(
        " " if unicodedata.category(char) == "Cc" and char not in _KEPT_CONTROLS else char
        for char in speech
    ).strip()
    if not whole or _fits(whole, segments):
        return whole
    # The longest beginning that fits with "..." (longer beginnings never take fewer SMS).
    low, high = 0, len(whole)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(whole[:middle].rstrip() + "...", segments):
            low = middle
        else:
            high = middle - 1
    kept = whole[:low]
    if not whole[low].isspace() and len(words := kept.rsplit(maxsplit=1)) > 1:
        kept = words[0]  # the cut fell inside a word: end at the one before
    kept = kept.rstrip()
    return f"{kept}..." if kept else ""


class SmsAssist:
    """The allow-list, the rate and the answers of one gateway or account."""

    def __init__(
        self, hass: HomeAssistant, entry: SmsGatewayEntry, settings: AssistSettings
    ) -> None:
        """Listen from async_start on."""
        self._hass = hass
        self._entry = entry
        self._settings = settings
        self._rate = RateLimit(settings.rate_limit)
        self._over_rate: set[str] = set()
        self._conversations: dict[str, str] = {}
        self._warned_no_conversation = False

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Hear this entry's incoming SMS; return what stops it."""
        entry_id = self._entry.entry_id

        @callback
        def ours(data: Mapping[str, Any]) -> bool:
            return data.get("entry_id") == entry_id

        return self._hass.bus.async_listen(EVENT_SMS_RECEIVED, self._on_sms, event_filter=ours)

    @callback
    def _on_sms(self, event: Event[Mapping[str, Any]]) -> None:
        data = event.data
        number = self._allowed(data.get("sender"))
        if number is None:
            LOGGER.debug("An SMS from a number not on the SMS to Assist list was left alone")
            return
        text = str(data.get("text") or "")
        if not self._rate.allow(number, time.monotonic()):
            if number not in self._over_rate:
                self._over_rate.add(number)
                LOGGER.warning(
                    "%s sent more than %d SMS to Assist in an hour; the others get no answer",
                    mask_number(number),
                    self._settings.rate_limit,
                )
            self._fire(data, number, text, None, AssistOutcome.RATE_LIMITED)
            return
        self._over_rate.discard(number)
        self._entry.async_create_background_task(
            self._hass, self._answer(data, number, text), name="sms_gateway assist"
        )

    def _allowed(self, sender: object) -> str | None:
        """Return the sender in E.164 when it is on the list; None for anyone else or a name."""
        if not isinstance(sender, str):
            return None
        try:
            number = international_number(sender, self._entry.runtime_data.country)
        except InvalidInputError:
            return None
        return number if number in self._settings.numbers else None

    async def _answer(self, data: Mapping[str, Any], number: str, text: str) -> None:
        """Ask the agent, then answer by SMS once."""
        speech = await self._ask(number, text)
        if speech is None:
            self._fire(data, number, text, None, AssistOutcome.NO_ANSWER)
            return
        reply = sms_reply(speech)
        if not reply:
            LOGGER.debug("The agent gave no answer to send")
            self._fire(data, number, text, None, AssistOutcome.NO_ANSWER)
            return
        port = data.get("port")
        options = {} if port is None else {ATTR_PORTS: [port]}
        try:
            await async_send(self._entry, [number], reply, options)
        except (HomeAssistantError, ProviderError) as err:
            LOGGER.warning(
                "Could not answer an SMS to Assist from %s: %s", mask_number(number), err
            )
            self._fire(data, number, text, reply, AssistOutcome.NOT_SENT)
            return
        self._fire(data, number, text, reply, AssistOutcome.ANSWERED)

    async def _ask(self, number: str, text: str) -> str | None:
        """Return the agent's spoken answer, or None when it could not be asked or failed."""
        if "conversation" not in self._hass.config.components:
            if not self._warned_no_conversation:
                self._warned_no_conversation = True
                LOGGER.warning(
                    "SMS to Assist needs the conversation integration (default_config loads it)"
                )
            return None
        # Imported here: the conversation integration is optional (after_dependencies).
        from homeassistant.components.conversation import async_converse

        try:
            result = await async_converse(
                self._hass,
                text,
                self._conversations.get(number),
                Context(),
                agent_id=self._settings.agent_id,
            )
        except Exception as err:  # noqa: BLE001 - an agent is any integration's code
            LOGGER.warning(
                "The conversation agent %s failed on an SMS from %s: %s",
                self._settings.agent_id,
                mask_number(number),
                err,
            )
            return None
        if result.conversation_id:
            self._conversations[number] = result.conversation_id
        speech: Any = result.response.speech.get("plain", {}).get("speech")
        return str(speech or "")

    def _fire(
        self,
        data: Mapping[str, Any],
        number: str,
        text: str,
        reply: str | None,
        outcome: AssistOutcome,
    ) -> None:
        """Tell the bus what became of a command, from where the SMS came in."""
        async_fire_assist(
            self._hass,
            Origin(self._entry.entry_id, self._entry.data[CONF_PROVIDER], data.get("device_id")),
            sender=number,
            text=text,
            reply=reply,
            outcome=outcome,
            agent_id=self._settings.agent_id,
            port=data.get("port"),
        )


@callback
def async_start_assist(hass: HomeAssistant, entry: SmsGatewayEntry) -> None:
    """Start SMS to Assist for the entry if its options switch it on (until it unloads)."""
    settings = assist_settings(entry.options)
    if settings.enabled:
        entry.async_on_unload(SmsAssist(hass, entry, settings).async_start())
