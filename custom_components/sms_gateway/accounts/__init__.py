"""The cloud account wing: SMSLink and Plasgate, one catalog entry per service."""
