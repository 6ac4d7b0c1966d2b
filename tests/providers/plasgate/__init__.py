"""Tests of the plasgate client."""
