"""The Plasgate SMS cloud simulator (REST, batch and HTTP APIs, DLR callbacks); see simulator.py."""
