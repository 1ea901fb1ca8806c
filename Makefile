# Two commands on a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8050
# The small chart library (plotly.js with only the trace types the figures draw), built
# with npm from js/ into the package: see js/build.mjs and timeline/export/plotlyjs.py.
BUNDLE := timeline/export/plotly_bundle/manifest.json

.PHONY: run test install chromium node postgres bench bench-ingest bench-store clean

install: $(STAMP) $(BUNDLE)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium serves both kaleido (PNG export) and Playwright (browser tests); prints
# use Liberation Sans with DejaVu Sans after it, which between them draw every letter of the
# region's languages (tests/test_export.py checks a print for missing glyphs).
# After `node`: two apt-get runs at once (make -j) would fight over dpkg's lock.
FONTS := /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
chromium: | node
	@{ command -v chromium && ls $(FONTS); } >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q chromium fonts-liberation fonts-dejavu-core; }

# Debian's PostgreSQL: the database tests run against SQLite and against a throwaway
# PostgreSQL server each test session starts on its own (tests/conftest.py: postgres_url).
# After `chromium`, for dpkg's lock.
postgres: | chromium
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql; }

# Node.js (18 or newer: Debian 12's will do) and npm build the chart library at install
# time only; pages never need them. Packages' install scripts are not run (none is needed).
node:
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nodejs npm; }

$(BUNDLE): js/package.json js/package-lock.json js/build.mjs js/traces.json | node
	cd js && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs

run: $(STAMP) $(BUNDLE)
	HOST=$(HOST) PORT=$(PORT) $(PY) app.py

test: $(STAMP) $(BUNDLE) chromium postgres
	$(PY) -m pytest -q

# Lighthouse, for the page benchmark only (benchmarks/package.json)
LIGHTHOUSE := benchmarks/node_modules/.bin/lighthouse

$(LIGHTHOUSE): benchmarks/package.json benchmarks/package-lock.json | node
	cd benchmarks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

bench: $(STAMP) $(BUNDLE) $(LIGHTHOUSE) chromium
	$(PY) benchmarks/bench_temporal.py
	$(PY) benchmarks/bench_temporal_languages.py
	$(PY) benchmarks/bench_parse.py
	$(PY) benchmarks/bench_export.py
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/bench_newsroom.py

# 100,000 synthetic articles: one process, then Dask with 1 and 2 workers (about 1.5 hours here)
bench-ingest: $(STAMP)
	$(PY) benchmarks/bench_ingest.py

# Serving a store of 1 and 10 million synthetic events (about 2 GB of disk in a temporary folder, 15 minutes)
bench-store: $(STAMP)
	$(PY) benchmarks/bench_store.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis js/node_modules benchmarks/node_modules timeline/export/plotly_bundle
