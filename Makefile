# citytwin: `make run` and `make test` do all the set-up on a fresh Debian machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1-mesa-dri libgl1 libusb-1.0-0 libgomp1 libxrender1 libxi6 libsm6 libice6 libdbus-1-3 libfontconfig1 libxkbcommon0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
SAMPLE := resources/sample/3dbag_b2_v2.0.city.json

# The Khronos glTF validator (npm) for the export tests; skipped (tests skip) where there is no Node.js.
GLTF_VALIDATOR := gltf-validator@2.0.0-dev.3.10
TOOLS := .tools

.PHONY: all setup system-deps node-tools run test bench fuzz lint clean

all: test

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel setuptools
	$(BIN)/pip install -q -e '.[test]'
	@touch $(STAMP)

setup: system-deps $(STAMP)

node-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -f $(TOOLS)/node_modules/gltf-validator/package.json ] || \
	  npm install --no-audit --no-fund --silent --prefix $(TOOLS) $(GLTF_VALIDATOR); \
	else echo "npm not found: the glTF validator tests will be skipped"; fi

# The main job: the GUI on the bundled sample when there is a display, else the headless demo.
run: setup
	@if [ -n "$$DISPLAY" ] && $(BIN)/python -c "import citytwin.app.qt" 2>/dev/null; then \
	  $(BIN)/citytwin gui $(SAMPLE); \
	else \
	  $(BIN)/python -m citytwin demo --out demo-output; \
	fi

test: setup node-tools
	$(BIN)/lint-imports
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m pytest -q -n 2 --dist loadfile tests

bench: setup
	$(BIN)/python tests/bench/run_all.py

# Fuzz every reader with random mutations of real files for FUZZ_SECONDS (default 3600) seconds;
# failing inputs are saved under CITYTWIN_FUZZ_FOUND (default /tmp/citytwin-fuzz-found).
FUZZ_SECONDS ?= 3600
fuzz: setup
	CITYTWIN_FUZZ_SECONDS=$(FUZZ_SECONDS) xvfb-run -a -s "-screen 0 1600x1000x24" \
	  $(BIN)/python -m pytest -q -s -p no:xdist tests/fuzz

clean:
	rm -rf $(VENV) demo-output $(TOOLS)
