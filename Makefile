# The two commands a new user types (see README.md):
#   make sweep   measure process pool vs thread pool up to MAX (default 200MB) and write reports/
#   make test    run the test suite
# Both install what is missing (libzstd-dev, pkg-config) and build first.

SWIFT ?= swift
PYTHON ?= python3
MAX ?= 200MB
SWEEP_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

VENV ?= .venv

.PHONY: deps build release test sweep bench clean python-deps

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libzstd; then \
		echo "Installing libzstd-dev and pkg-config with apt-get…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libzstd-dev pkg-config; \
	fi
	@if ! command -v $(PYTHON) >/dev/null 2>&1; then \
		echo "Installing python3 with apt-get…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3; \
	fi

# The extras for --pools dask, in a virtual environment of this checkout (the default sweep needs none of them);
# the sweep uses $(VENV)/bin/python3 for Dask when no --python is given.
python-deps: deps
	@if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		echo "Installing python3-venv with apt-get…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; \
	fi
	@[ -x $(VENV)/bin/python3 ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python3 -m pip install --quiet --disable-pip-version-check 'dask[distributed]'

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(PYTHON) -m unittest discover -s Tests/PythonDriverTests -t Tests/PythonDriverTests

sweep: release
	$$($(SWIFT) build -c release --show-bin-path)/payloadlab sweep --max $(MAX) $(SWEEP_ARGS)

bench: release
	$$($(SWIFT) build -c release --show-bin-path)/payloadlab bench codecs --shape records --size 64MB

clean:
	rm -rf .build
