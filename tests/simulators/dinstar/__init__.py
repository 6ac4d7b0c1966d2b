"""The Dinstar simulator against spec §2 and §3, with independent HTTP clients."""
