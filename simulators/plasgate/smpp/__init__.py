"""The Plasgate simulator's SMPP v3.4 server (Jasmin-like, spec §2.8); see server.py."""
