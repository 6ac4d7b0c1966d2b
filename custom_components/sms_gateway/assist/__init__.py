"""SMS to Assist: allowed numbers talk to a conversation agent by SMS."""
