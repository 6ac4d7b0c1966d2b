"""The demo's owner account (a known login) and a long-lived API token, onboarding done.

Home Assistant reads these files at start-up as if a user had gone through onboarding.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
import secrets
import time
import uuid

import bcrypt
import jwt

from .settings import LOGIN_PASSWORD, LOGIN_USERNAME
from .storage import write_store

_ADMIN_GROUP = "system-admin"
_TOKEN_LIFETIME = timedelta(days=3650)
_ONBOARDING_STEPS = ["user", "core_config", "analytics", "integration"]


@dataclass(frozen=True)
class DemoAccount:
    """The owner's user id and an access token for the REST API."""

    user_id: str
    access_token: str


def _long_lived_token(refresh_token_id: str, jwt_key: str) -> str:
    """Sign an access token as Home Assistant does for a long-lived refresh token."""
    now = int(time.time())
    claims = {
        "iss": refresh_token_id,
        "iat": now,
        "exp": now + int(_TOKEN_LIFETIME.total_seconds()),
    }
    return jwt.encode(claims, jwt_key, algorithm="HS256")


def write_account(storage_dir: Path) -> DemoAccount:
    """Write auth, auth_provider.homeassistant and onboarding; return the API token."""
    user_id, credential_id, refresh_id = (uuid.uuid4().hex for _ in range(3))
    jwt_key = secrets.token_hex(64)
    created_at = datetime.now(UTC).isoformat()
    password_hash = bcrypt.hashpw(LOGIN_PASSWORD.encode(), bcrypt.gensalt(rounds=12))
    write_store(
        storage_dir,
        "auth_provider.homeassistant",
        1,
        {
            "users": [
                {"username": LOGIN_USERNAME, "password": base64.b64encode(password_hash).decode()}
            ]
        },
    )
    user = {
        "id": user_id,
        "group_ids": [_ADMIN_GROUP],
        "is_owner": True,
        "is_active": True,
        "name": "Demo",
        "system_generated": False,
        "local_only": False,
    }
    credential = {
        "id": credential_id,
        "user_id": user_id,
        "auth_provider_type": "homeassistant",
        "auth_provider_id": None,
        "data": {"username": LOGIN_USERNAME},
    }
    refresh_token = {
        "id": refresh_id,
        "user_id": user_id,
        "client_id": None,
        "client_name": "SMS Gateway demo",
        "client_icon": None,
        "token_type": "long_lived_access_token",
        "created_at": created_at,
        "access_token_expiration": _TOKEN_LIFETIME.total_seconds(),
        "token": secrets.token_hex(64),
        "jwt_key": jwt_key,
        "last_used_at": None,
        "last_used_ip": None,
        "expire_at": None,
        "credential_id": credential_id,
        "version": None,
    }
    write_store(
        storage_dir,
        "auth",
        1,
        {
            "users": [user],
            "groups": [{"id": _ADMIN_GROUP, "name": "Administrators"}],
            "credentials": [credential],
            "refresh_tokens": [refresh_token],
        },
    )
    write_store(storage_dir, "onboarding", 4, {"done": _ONBOARDING_STEPS})
    return DemoAccount(user_id=user_id, access_token=_long_lived_token(refresh_id, jwt_key))
