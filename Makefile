# Two commands on a fresh machine: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TRAIN_DATA := build/training_logs.csv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: java postgres setup run test test-fast lint rules e2e postman train onnx static bench spark-package sample diagram clean

setup: java $(STAMP)

# Spark (log_classifier.spark and its tests) runs on a JVM: Debian's Java 17 when there is no java.
java:
	@command -v java >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y openjdk-17-jre-headless)

# The pattern store's PostgreSQL tests start a throwaway cluster of Debian's server (initdb + pg_ctl).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: pip then takes the CPU build, never a multi-GB CUDA one
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.txt
	# the project itself, editable: `log_classifier` imports from anywhere, no sys.path edits
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup
	$(VENV)/bin/uvicorn server:app --host $(HOST) --port $(PORT)

# The whole suite, with lint, types and the alerting rules first (what CI runs).
test: lint rules postgres
	$(PY) -m pytest

# The inner loop: everything but the tests marked slow (well under a minute).
test-fast: setup
	$(PY) -m pytest -m "not slow and not e2e" -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The Prometheus alerting rules and their unit tests (promtool from Debian's prometheus package).
rules:
	command -v promtool >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus)
	promtool check rules resources/prometheus/alerts.yml
	promtool test rules resources/prometheus/alerts_test.yml

# The web page in a real headless Chromium (Debian's package; Playwright's own browser download is never used).
e2e: setup
	test -x /usr/bin/chromium || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	$(PY) -m pytest -m e2e

# The Postman collection (resources/postman_collection.json) run by newman against a live server.
postman: setup
	scripts/newman.sh

ONNX_MODEL := models/onnx/model-int8.onnx
STATIC_MODEL := models/static/model.safetensors

# Regenerates the data and retrains the shipped model, deterministically. The int8 ONNX encoder and
# the static vectors of the fast path are built once (they depend only on the packaged MiniLM);
# `make onnx` and `make static` rebuild them.
train: setup
	test -f $(ONNX_MODEL) || $(MAKE) onnx
	test -f $(STATIC_MODEL) || $(MAKE) static
	mkdir -p build
	$(PY) -m training.generate --output $(TRAIN_DATA) --seed 42
	$(PY) -m training.train --data $(TRAIN_DATA) --output-dir models

onnx: setup
	$(PY) -m training.export_onnx --output-dir models/onnx

static: setup
	$(PY) -m training.distill_static --output-dir models/static

bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_spark.py

# What spark-submit ships to executors (--archives build/log-classifier.tar.gz#app): code, rules, model.
spark-package:
	mkdir -p build
	tar -czf build/log-classifier.tar.gz --exclude=__pycache__ log_classifier resources models

# resources/sample_logs_classified.csv: what the service answers for the sample (no LLM key)
sample: setup
	GROQ_API_KEY= PATTERN_STORE=off $(PY) classifier.py resources/sample_logs.csv --output resources/sample_logs_classified.csv --explain --no-progress

# assets/architecture.png from docs/architecture.dot (needs Debian's graphviz)
diagram:
	command -v dot >/dev/null || (apt-get update && apt-get install -y graphviz)
	dot -Tpng -Gdpi=110 docs/architecture.dot -o assets/architecture.png

clean:
	rm -rf $(VENV) build .pytest_cache
