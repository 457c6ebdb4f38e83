# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv in the checkout and install the package (editable, with dev extras).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/syndicate demo --accounts 20000 --seed 7 --workdir demo-output

test: $(STAMP)
	$(PY) -m pytest -n 2 -q tests

bench: $(STAMP)
	$(PY) benchmarks/bench_pipeline.py --accounts 100000 1000000

clean:
	rm -rf $(VENV) demo-output .pytest_cache
