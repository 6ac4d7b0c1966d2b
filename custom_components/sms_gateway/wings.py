"""The wing each provider's entries belong to: the package root and the config flow read it here."""

from __future__ import annotations

from typing import Final

from .accounts.setup import ACCOUNT
from .const import PROVIDER_DINSTAR, PROVIDER_PLASGATE, PROVIDER_ROUTE, PROVIDER_SMSLINK
from .gateway.setup import GATEWAY
from .routes.setup import ROUTE
from .runtime import Wing

WINGS: Final[dict[str, Wing]] = {
    PROVIDER_DINSTAR: GATEWAY,
    PROVIDER_SMSLINK: ACCOUNT,
    PROVIDER_PLASGATE: ACCOUNT,
    PROVIDER_ROUTE: ROUTE,
}
"""In the order the add-integration menu offers them: gateways, accounts, then routes over them."""
