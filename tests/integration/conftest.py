"""Fixtures for the tests that run Home Assistant with the integration."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/sms_gateway in every integration test."""
