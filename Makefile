# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv in the checkout and install the package (editable, with dev extras, which
# include pyspark for the Spark engine's tests; those need Java 17+ and are skipped without it).
# `syndicate` is then .venv/bin/syndicate (or run `. .venv/bin/activate` first).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO := demo-output

.PHONY: demo test bench install clean

# pip prints what it collects and installs: the first install takes one to two minutes.
$(STAMP): pyproject.toml
	@echo "== creating $(VENV) and installing syndicate with its dependencies (first time: 1-2 minutes)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)
	@echo "== installed: the command is $(VENV)/bin/syndicate"

install: $(STAMP)

# Seed 1: the marketplace of the "seed 1" column of the README's quality table.
demo: $(STAMP)
	$(VENV)/bin/syndicate demo --accounts 20000 --seed 1 --workdir $(DEMO)
	@echo "== open $(DEMO)/run/report.html in a browser; more: $(VENV)/bin/syndicate --help"

# --dist loadscope: each test module runs on one worker, so a module's generated marketplace
# and run (module-scoped fixtures) are made once, and the Spark tests share one JVM. (pytest 9
# ignores the group names that --dist loadgroup puts into test ids: under it every module's tests
# went to both workers, each making the same fixtures and starting a JVM of its own.)
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadscope -q tests

bench: $(STAMP)
	$(PY) benchmarks/bench_pipeline.py --accounts 100000 1000000

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
