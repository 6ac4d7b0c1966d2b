"""`make demo`: a Dinstar simulator and a Home Assistant with the integration already set up.

`python -m demo` runs both until Ctrl-C; `python -m demo sms ...` injects an incoming SMS.
"""
