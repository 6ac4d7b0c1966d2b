# The two commands a new machine needs: `make demo` and `make test`.
# Two Home Assistant legs: the floor (hacs.json's minimum, Python 3.13, .venv) and the newest
# (the newest pytest-homeassistant-custom-component, Python 3.14, .venv-newest).
HA ?= floor
LEG ?= floor
VENV := $(if $(filter newest,$(LEG)),.venv-newest,.venv)
PYTHON_VERSION := $(if $(filter newest,$(LEG)),3.14,3.13)
BIN := $(VENV)/bin
empty :=
comma := ,
space := $(empty) $(empty)
FLOWS := $(addprefix custom_components/sms_gateway/,config_flow.py gateway/flow.py \
  gateway/options_flow.py gateway/balance_options.py accounts/flow.py accounts/login.py \
  accounts/options_flow.py accounts/smpp_options.py routes/flow.py options_reload.py form_fields.py)

.PHONY: test check demo demo-run demo-sms setup lint typecheck pytest bench pin-newest clean \
  browser screenshots

# Every check, on both legs, then what a user sees in the browser, on both legs.
test:
	$(MAKE) check LEG=floor
	bash scripts/newest.sh $(MAKE) check LEG=newest
	$(MAKE) browser LEG=floor
	$(MAKE) browser LEG=newest

# Every check on one leg: make check LEG=floor|newest (the newest through scripts/newest.sh).
check: lint typecheck pytest

setup:
	@bash scripts/bootstrap.sh $(LEG)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	MYPYPATH=$(if $(filter newest,$(LEG)),stubs/newest) $(BIN)/mypy --strict --python-version $(PYTHON_VERSION) custom_components simulators demo bench

pytest: setup
	COVERAGE_CORE=sysmon $(BIN)/pytest --cov --cov-report=term -n 2 -p no:cacheprovider
	$(BIN)/coverage report --include=$(subst $(space),$(comma),$(strip $(FLOWS))) --fail-under=100


bench: setup
	@for script in bench/*.py; do \
	  name=$$(basename "$$script" .py); [ "$$name" = __init__ ] && continue; \
	  echo "== bench.$$name"; $(BIN)/python -m "bench.$$name" || exit 1; \
	done

# Home Assistant with the integration set up against the simulators; Ctrl-C stops it.
# make demo HA=newest runs the same demo on the newest Home Assistant.
demo:
ifeq ($(HA),newest)
	bash scripts/newest.sh $(MAKE) demo-run LEG=newest
else
	$(MAKE) demo-run LEG=floor
endif

# DEMO_ARGS: the demo's own arguments (`make demo-run DEMO_ARGS="run --port 8124"`).
DEMO_ARGS ?=
demo-run: setup
	@bash scripts/demo_requirements.sh $(VENV)
	$(BIN)/python -m demo $(DEMO_ARGS)

# The demo of LEG in the background, then headless Chromium through it (browser/checks.mjs):
# login, dashboard, a port's device page, the add-integration form's errors, an SMS sent from
# the UI and one received, in the Logbook. Screenshots in browser/screenshots/LEG-STEP.png.
browser:
	@bash scripts/browser.sh $(LEG)

# The browser checks, then the README's pictures from them (those whose checks passed).
SCREENSHOTS := dashboard-after:dashboard device-last-sms:device logbook:logbook \
  config-flow-invalid-auth:config-flow-error
screenshots:
	@status=0; bash scripts/browser.sh $(LEG) || status=$$?; mkdir -p docs/images; \
	for pair in $(SCREENSHOTS); do \
	  shot=browser/screenshots/$(LEG)-$${pair%%:*}.png; \
	  if [ -f "$$shot" ]; then cp "$$shot" "docs/images/$${pair#*:}.png"; \
	    echo "docs/images/$${pair#*:}.png <- $$shot"; \
	  else echo "no $$shot: docs/images/$${pair#*:}.png left as it was" >&2; status=1; fi; \
	done; exit $$status

# While `make demo` runs, in another terminal: make demo-sms FROM=+40712345678 TEXT="hello" [SIM_PORT=0]
# or, to the SMSLink account: make demo-sms PROVIDER=smslink FROM=0712345678 TEXT="hello"
# or, to the Plasgate account over SMPP: make demo-sms PROVIDER=plasgate FROM=85598765432 TEXT="hello"
# Without FROM, each provider's own way of writing +40712345678.
PROVIDER ?= dinstar
FROM ?=
TEXT ?= Hello from the SMS Gateway demo
SIM_PORT ?= 0
demo-sms:
	$(BIN)/python -m demo sms --provider "$(PROVIDER)" --port "$(SIM_PORT)" $(if $(FROM),--from "$(FROM)") --text "$(TEXT)"

# Moves the newest leg to the newest pytest-homeassistant-custom-component (or PHCC=x.y.z).
pin-newest: setup
	@bash scripts/pin_newest.sh $(PHCC)

clean:
	rm -rf .venv .venv-newest .mypy_cache .ruff_cache .pytest_cache .coverage
