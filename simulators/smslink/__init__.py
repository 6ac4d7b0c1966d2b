"""The SMSLink SMS Gateway simulator (HTTP, JSON and BULK v3 APIs, callbacks); see simulator.py."""
