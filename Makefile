# Two commands on a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8050

.PHONY: run test install chromium bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

# Debian's Chromium serves both kaleido (PNG export) and Playwright (browser tests).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(PY) app.py

test: $(STAMP) chromium
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_temporal.py
	$(PY) benchmarks/bench_parse.py
	$(PY) benchmarks/bench_export.py
	$(PY) benchmarks/bench_dashboard.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
