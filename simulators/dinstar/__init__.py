"""The Dinstar GSM gateway simulator (HTTP API, Digest auth, pushes); start at simulator.py."""
