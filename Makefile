# Token Plan Studio — the same commands locally and in CI (.ci/run calls `make test`).
#   make run     set up, build, open the app
#   make test    set up, then every check and test (format, lint, Rust, UI, bindings drift, end-to-end)
#   make bench   the figures the issues ask for
#   make bundle  the .deb and .rpm (release build); make bundle-check installs and runs them
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
UI := ui
BINDINGS := $(UI)/src/lib/bindings
APP := target/debug/token-plan-studio
# The official Python MiniMax MCP server, run as a third-party client against minimax-sim.
MCP_VENV := target/mcp-venv

.PHONY: help setup ui run dev test fmt fmt-check lint ui-check rust-test bindings bindings-check audit bench clean \
  release bundle bundle-check bundle-check-test screenshots

help:
	@echo "make run | test | bench | bundle | bundle-check | dev | fmt | lint | audit | bindings | setup | clean"

setup:
	@scripts/setup

# The UI is embedded into the app binary at compile time, so it is built before any cargo build. It is
# rebuilt only when a source changed: a fresh ui/dist makes cargo rebuild and relink the app, so `make run`
# right after `make test` would otherwise wait minutes for nothing.
UI_SOURCES := $(shell find $(UI)/src $(UI)/public -type f 2>/dev/null) \
  $(wildcard $(UI)/index.html $(UI)/package-lock.json $(UI)/vite.config.ts $(UI)/svelte.config.js $(UI)/tsconfig.json)
$(UI)/dist/index.html: $(UI_SOURCES) | setup
	$(NPM) --prefix $(UI) run build --silent
	@touch $@

ui: setup $(UI)/dist/index.html

# One build for `make run`, `make test` and the e2e tests: the whole workspace, so every dependency is
# compiled with the same unified features and `make run` after `make test` reuses every artifact (building
# the app package alone unified them differently and recompiled ~4 minutes).
$(APP): ui
	$(CARGO) build --workspace --locked

run: $(APP)
	@scripts/open-app $(APP)

# Hot-reloading UI in the real window (needs a display). tauri.conf.json has no devUrl on purpose, so a
# plain `cargo build` embeds ui/dist; dev mode adds the Vite server here.
dev: setup
	$(UI)/node_modules/.bin/tauri dev --config '{"build":{"devUrl":"http://localhost:5173","beforeDevCommand":"npm --prefix ui run dev"}}'

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all --check

lint: ui
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

ui-check: setup
	cd $(UI) && $(NPM) run --silent check && $(NPM) run --silent lint && $(NPM) run --silent test

# One build of the whole workspace: the e2e tests use its app binary, and `cargo test --workspace`
# reuses every artifact (same feature unification), so nothing is compiled twice.
rust-test: $(APP) $(MCP_VENV)/ready
	rm -rf target/bindings
	TOKENPLAN_APP_BINARY=$(CURDIR)/$(APP) MINIMAX_SIM_MCP_PYTHON=$(CURDIR)/$(MCP_VENV)/bin/python \
	  $(CARGO) test --workspace --locked

# minimax-mcp 0.0.19 needs mcp 2 and dropped music (RECIPES.md), hence the pins.
$(MCP_VENV)/ready:
	python3 -m venv $(MCP_VENV)
	$(MCP_VENV)/bin/pip install --quiet --disable-pip-version-check 'minimax-mcp==0.0.18' 'mcp<2'
	touch $@

# ts-rs writes bindings to target/bindings during `cargo test` (.cargo/config.toml).
bindings:
	rm -rf target/bindings
	$(CARGO) test -p studio-core --lib --locked export_bindings --quiet
	$(CARGO) test -p studio-audio --lib --locked export_bindings --quiet
	$(CARGO) test -p studio-film --lib --locked export_bindings --quiet
	rm -rf $(BINDINGS) && cp -r target/bindings $(BINDINGS)
	@echo "bindings written to $(BINDINGS)"

bindings-check:
	@diff -r target/bindings $(BINDINGS) || { echo "error: $(BINDINGS) is stale: run 'make bindings' and commit"; exit 1; }

# Supply chain: cargo-deny (bans, sources; advisories against the committed RustSec snapshot) and npm audit.
# What cannot be checked on this machine is reported loudly (supply-chain/README.md).
audit: setup
	@scripts/audit

# One release build shared by the bundle, the bundle check and the benches (~7 min cold): the whole workspace,
# so `make bench`'s per-package builds find every artifact already made with the same features.
release: ui
	$(CARGO) build --release --workspace --locked

# The .deb and .rpm of the release build (scripts/bundle; PROFILE=debug packs the debug build instead).
bundle: release
	@PROFILE=release scripts/bundle

bundle-check: bundle
	@PROFILE=release scripts/bundle-check

# In `make test`: the packaging pipeline checked on the debug build `make test` already made (no release
# build: it would add ~7 minutes): the same bundler, metadata, install, launch, screenshot and removal.
# Skipped, and said, where the packaging tools are missing (not Debian).
bundle-check-test: $(APP)
	@if command -v dpkg-deb >/dev/null && command -v xvfb-run >/dev/null; then \
	  PROFILE=debug scripts/bundle && PROFILE=debug scripts/bundle-check; \
	else echo "bundle-check: skipped (no dpkg-deb or xvfb-run on this machine)"; fi

test: setup fmt-check audit lint ui-check rust-test bindings-check bundle-check-test
	@echo "make test: all checks passed"

bench: release
	@scripts/bench

# The README's and the guide's screenshots, from the end-to-end tour of the main screens (commit the result).
screenshots: $(APP)
	TOKENPLAN_APP_BINARY=$(CURDIR)/$(APP) TOKENPLAN_DOCS_SCREENSHOTS=1 \
	  $(CARGO) test --locked -p studio-e2e --test screens_tour -- --nocapture

clean:
	$(CARGO) clean
	rm -rf $(UI)/dist $(UI)/node_modules
