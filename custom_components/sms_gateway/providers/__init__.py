"""Async clients for the SMS services; free of Home Assistant so they could ship on their own."""
