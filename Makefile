# The two commands a new machine needs: `make demo` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
CONFIG_FLOW := custom_components/sms_gateway/config_flow.py

.PHONY: test demo setup lint typecheck pytest bench clean

setup:
	@bash scripts/bootstrap.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy --strict custom_components simulators

pytest: setup
	$(BIN)/pytest --cov --cov-report=term -n 2 -p no:cacheprovider
	@if [ -f $(CONFIG_FLOW) ]; then \
	  $(BIN)/coverage report --include=$(CONFIG_FLOW) --fail-under=100; fi

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench.dinstar_client

demo: setup
	$(BIN)/python -m demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage
