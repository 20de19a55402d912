# The two commands of the README's quick start, and the pieces of `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint typecheck pytest eval bench

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

## The bot: the offline console without TELEGRAM_BOT_TOKEN, the Telegram bot with it.
run: $(VENV)/.installed
	$(VENV)/bin/oscebot

## Everything CI checks: lint, format, types, knowledge base, all tests.
test: $(VENV)/.installed lint typecheck
	$(VENV)/bin/oscebot validate
	$(PY) -m pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot tests benchmarks
	$(VENV)/bin/ruff format --check bot tests benchmarks

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

eval: $(VENV)/.installed
	$(VENV)/bin/oscebot eval ../shared/eval/dev.yaml

bench: $(VENV)/.installed
	$(PY) benchmarks/matching.py
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/scale.py 1 10
	$(PY) benchmarks/memory.py 1 10
	$(PY) benchmarks/typos.py
	$(PY) benchmarks/safety.py
	$(PY) benchmarks/replies.py
	$(PY) benchmarks/quality.py
	$(PY) benchmarks/country_help.py
	$(PY) benchmarks/telegram_throughput.py
	$(PY) benchmarks/broadcast.py 1000
