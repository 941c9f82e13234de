# tinyweb: `make demo` and `make test` set everything up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# torch first, so the ML extras do not pull another build. CPU-only machines elsewhere may
# point TORCH_INDEX at PyTorch's CPU wheel index to avoid the large CUDA build.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
EXTRAS ?= ml,ocr,dev
STAMP := $(VENV)/.tinyweb-setup

.PHONY: setup test test-all demo bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/install_torch.sh scripts/ensure_chromium.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	bash scripts/install_torch.sh $(PY) "$(TORCH_SPEC)" "$(TORCH_INDEX)"
	$(PIP) install -q -e '.[$(EXTRAS)]'
	bash scripts/ensure_chromium.sh $(PY)
	touch $@

test: setup
	$(VENV)/bin/pytest -q

test-all: setup
	$(VENV)/bin/pytest -q --slow

demo: setup
	$(VENV)/bin/tinyweb demo

bench: setup
	$(PY) benchmarks/embed.py
	$(PY) benchmarks/crawl.py
	$(PY) benchmarks/css.py
	$(PY) benchmarks/train.py
	$(PY) benchmarks/generate.py
	$(PY) benchmarks/act.py

lint: setup
	$(VENV)/bin/ruff check tinyweb tests benchmarks
	$(VENV)/bin/ruff format --check tinyweb tests benchmarks

clean:
	rm -rf $(VENV) workspace .pytest_cache
