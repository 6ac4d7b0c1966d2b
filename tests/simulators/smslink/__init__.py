"""The SMSLink simulator against its spec, with independent HTTP clients."""
