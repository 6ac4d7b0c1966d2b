# The two commands a new machine needs: `make demo` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
CONFIG_FLOW := custom_components/sms_gateway/config_flow.py
OPTIONS_FLOW := custom_components/sms_gateway/options_flow.py
CLOUD_FLOW := custom_components/sms_gateway/cloud_flow.py,custom_components/sms_gateway/cloud_account.py
CLOUD_OPTIONS_FLOW := custom_components/sms_gateway/cloud_options_flow.py

.PHONY: test demo demo-sms setup lint typecheck pytest bench clean

setup:
	@bash scripts/bootstrap.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy --strict custom_components simulators demo bench

pytest: setup
	COVERAGE_CORE=sysmon $(BIN)/pytest --cov --cov-report=term -n 2 -p no:cacheprovider
	$(BIN)/coverage report --include=$(CONFIG_FLOW),$(OPTIONS_FLOW),$(CLOUD_FLOW),$(CLOUD_OPTIONS_FLOW) \
	  --fail-under=100

test: lint typecheck pytest

bench: setup
	@for script in bench/*.py; do \
	  name=$$(basename "$$script" .py); [ "$$name" = __init__ ] && continue; \
	  echo "== bench.$$name"; $(BIN)/python -m "bench.$$name" || exit 1; \
	done

# Home Assistant with the integration set up against a simulated 8-port Dinstar; Ctrl-C stops it.
demo: setup
	@bash scripts/demo_requirements.sh
	$(BIN)/python -m demo

# While `make demo` runs, in another terminal: make demo-sms FROM=+40712345678 TEXT="hello" [SIM_PORT=0]
# or, to the SMSLink account: make demo-sms PROVIDER=smslink FROM=0712345678 TEXT="hello"
# Without FROM, each provider's own way of writing +40712345678.
PROVIDER ?= dinstar
FROM ?=
TEXT ?= Hello from the SMS Gateway demo
SIM_PORT ?= 0
demo-sms:
	$(BIN)/python -m demo sms --provider "$(PROVIDER)" --port "$(SIM_PORT)" $(if $(FROM),--from "$(FROM)") --text "$(TEXT)"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage
