"""Tests of the dinstar client."""
