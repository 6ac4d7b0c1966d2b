"""The Dinstar wing: a GSM gateway on the LAN, its SIM ports, pushes, inbox, sends and USSD."""
