"""One exception family for every provider, so callers catch ProviderError and nothing else."""

from typing import Final


class ProviderError(Exception):
    """Base of every error a provider client raises."""


class AuthError(ProviderError):
    """The service refused the credentials."""


class ProviderConnectionError(ProviderError):
    """The service could not be reached, dropped the connection or did not answer in time."""


class ProviderUnreachableError(ProviderConnectionError):
    """No connection could be made (refused, no route, TLS handshake): nothing was sent.

    Still a connection error, so every caller that treats those as uncertain stays careful; a
    failover route (failover.py) may try its next service, since this send certainly did not go.
    """


class ProviderTimeoutError(ProviderConnectionError):
    """The service did not answer within the client's timeout."""


class InvalidResponseError(ProviderError):
    """The service answered with something we cannot read (not JSON, wrong shape)."""


class InvalidInputError(ProviderError):
    """The caller's input was refused before anything was sent."""


class InvalidPushError(ProviderError):
    """A pushed payload (webhook, callback) is not one the service sends."""


class RejectedError(ProviderError):
    """The service understood the request and refused it with a code of its own."""

    def __init__(self, code: int, message: str) -> None:
        """Keep the service's code so callers can branch on it."""
        super().__init__(message)
        self.code = code


class BadRequestError(RejectedError):
    """The service found the request malformed (Dinstar 400)."""


class NotFoundError(RejectedError):
    """The task, port or file named in the request does not exist (Dinstar 404)."""


class LimitExceededError(RejectedError):
    """A documented size limit was exceeded (Dinstar 413); `limit` names which one."""

    def __init__(self, code: int, message: str, limit: str) -> None:
        """Name the limit, since one code covers several."""
        super().__init__(code, message)
        self.limit = limit


class NoPortAvailableError(RejectedError):
    """No SIM port can send right now (Dinstar 550)."""


class ServiceError(RejectedError):
    """The service failed on its side (Dinstar 500, "other errors")."""


class PortBusyError(RejectedError):
    """The port is busy with something else, e.g. sending an SMS (Dinstar USSD 486)."""


class PortNotRegisteredError(RejectedError):
    """The port's SIM is not registered on a network (Dinstar USSD 503)."""


class ApiDisabledError(ProviderError):
    """The gateway answers, but its HTTP API is switched off (Dinstar: API not "New Version")."""


class RateLimitedError(RejectedError):
    """The service kept refusing for too many requests (Plasgate 429) after our own pauses."""


MAY_HAVE_SENT: Final = (ProviderConnectionError, ServiceError, InvalidResponseError)
"""Failures after which a service may have taken a send: a lost answer (a timeout or a reset
connection), a server error, an answer we cannot read. Every service alike: such a send is
uncertain, never repeated."""
