# PIU developer commands. `make help` lists them. Everything runs inside .venv, which the
# first target that needs it creates; the one thing installed outside this folder is
# Debian's Chromium for the browser tests (`make test` installs it when run as root).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# the matcher's modules that mypyc compiles (setup.py), and the record of a build from
# their current source (piu.screening._native runs them from source while it is stale)
SCREENING := src/piu/screening
COMPILED  := $(addprefix $(SCREENING)/,model.py keys.py names.py translit.py scoring.py index.py matcher.py)
NATIVE    := $(SCREENING)/_native.json
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help native run serve test check lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PIU needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PIU_PURE_PYTHON=1 $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compiles the matcher in place with mypyc (about 20 s; again whenever one of its sources
# changes). Without a C compiler it says so and screening runs as pure Python.
$(NATIVE): $(STAMP) $(COMPILED) setup.py
	$(BIN)/python setup.py --quiet build_ext --inplace 2>&1 | grep -v '^gcc \|^copying \|warning: Treating\|BetaConfiguration\|warnings.warn' || true

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

native: $(NATIVE) ## compile the name matcher with mypyc (make run, serve and test do it)

run: $(STAMP) $(NATIVE) ## set up and run a living PIU: embedded defaults, a watchlist and a simulated day of traffic (data in ./piu-demo)
	PIU_DATA_DIR=$${PIU_DATA_DIR:-piu-demo} $(BIN)/piu demo

serve: $(STAMP) $(NATIVE) ## set up and run an empty PIU for real use (SQLite in ./piu-data, http://127.0.0.1:8080)
	$(BIN)/piu serve

test: $(STAMP) $(NATIVE) $(CHROMIUM) ## set up and run every check: lint, then the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/pytest

check: test ## alias of test

lint: $(STAMP) ## ruff and mypy only
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP) $(NATIVE) ## run the benchmarks and print their figures
	$(BIN)/python bench/parse_paxlst.py
	$(BIN)/python bench/ingest_paxlst.py
	$(BIN)/python bench/parse_pnrgov.py
	$(BIN)/python bench/ingest_pnrgov.py
	$(BIN)/python bench/names.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/synth.py --passengers 100000

clean: ## remove the virtualenv and caches (never ./piu-data or ./piu-demo)
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info $(NATIVE) $(SCREENING)/*.so
