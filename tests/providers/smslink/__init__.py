"""Tests of the smslink client."""
