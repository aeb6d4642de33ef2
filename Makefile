# PIU developer commands. `make help` lists them. Everything runs inside .venv, which the
# first target that needs it creates; the one thing installed outside this folder is
# Debian's Chromium for the browser tests (`make test` installs it when run as root).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help run serve test check lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PIU needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser tests (tests/browser) drive Debian's Chromium; Playwright's own browser
# download (`playwright install`) is never used. As root with apt-get (CI) it is installed;
# otherwise the tests skip and this says how to install it.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium fonts-dejavu-core; \
	else \
		echo "note: $(CHROMIUM) is missing, so the browser tests will be skipped;" \
			"install it with: sudo apt-get install chromium fonts-dejavu-core"; \
	fi

run: $(STAMP) ## set up and run a living PIU: embedded defaults, a watchlist and a simulated day of traffic (data in ./piu-demo)
	PIU_DATA_DIR=$${PIU_DATA_DIR:-piu-demo} $(BIN)/piu demo

serve: $(STAMP) ## set up and run an empty PIU for real use (SQLite in ./piu-data, http://127.0.0.1:8080)
	$(BIN)/piu serve

test: $(STAMP) $(CHROMIUM) ## set up and run every check: lint, then the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest

check: test ## alias of test

lint: $(STAMP) ## ruff only
	$(BIN)/ruff check src tests bench

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP) ## run the benchmarks and print their figures
	$(BIN)/python bench/parse_paxlst.py
	$(BIN)/python bench/ingest_paxlst.py
	$(BIN)/python bench/parse_pnrgov.py
	$(BIN)/python bench/ingest_pnrgov.py
	$(BIN)/python bench/names.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/synth.py --passengers 100000

clean: ## remove the virtualenv and caches (never ./piu-data or ./piu-demo)
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
