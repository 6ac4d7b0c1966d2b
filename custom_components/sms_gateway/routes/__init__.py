"""The failover route wing: a recipient moves on only when a service certainly did not send."""
