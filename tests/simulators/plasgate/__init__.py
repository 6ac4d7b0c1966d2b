"""The Plasgate simulator against its spec, with independent HTTP clients."""
