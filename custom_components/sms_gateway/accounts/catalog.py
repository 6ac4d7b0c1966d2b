"""The cloud SMS services this integration offers: one catalog entry each, by provider key.

An entry (service.py) holds all that differs between services; its module (smslink.py,
plasgate.py) fills it in. A fourth service is one more line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..const import CONF_PROVIDER
from .plasgate import PLASGATE, plasgate_unique_id
from .service import CloudService
from .smslink import SMSLINK

__all__ = ["SERVICES", "CloudService", "plasgate_unique_id", "service_of"]

SERVICES: Final[Mapping[str, CloudService[Any]]] = {
    service.provider: service for service in (SMSLINK, PLASGATE)
}


def service_of(data: Mapping[str, Any]) -> CloudService[Any]:
    """Return the catalog entry of an account's entry data (or of a login form's)."""
    return SERVICES[data[CONF_PROVIDER]]
