# essaim — one Makefile for the server (C++20, CMake) and the web app (React, Vite).
#   make run    install dependencies, build everything, start essaim on http://127.0.0.1:8080
#   make test   every test: C++ unit tests (+ ASan/UBSan build), server integration tests,
#               web unit tests, Playwright end-to-end tests in Debian's Chromium
#   make build  build server and web app without starting
#   make bench  benchmarks (wrk, side by side with Flood and a reference; SQLite vs PostgreSQL), printing tables
#   make soak   500 WebSocket clients + wrk for SOAK_SECONDS (300): no error, flat memory
#   make fuzz-long  every libFuzzer target 10 min, new coverage merged into server/fuzz/corpus
#   make screenshots  every page at 1280, 1024 and 390 px, light and dark, into web/e2e/screenshots/pages/
#   make deb    the Debian 12 package dist/essaim_<version>_amd64.deb (debian/); make test-package
#               checks it (lintian, install, run, upgrade, purge; root only)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
JOBS ?= $(shell nproc)
BUILD := server/build
ASAN_BUILD := server/build-asan
ESSAIM_BIN := $(CURDIR)/$(BUILD)/essaim
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: all deps build server web run screenshots test test-alongside check-modules test-unit test-asan test-fuzz fuzz fuzz-long test-integration test-integration-sqlite test-integration-pg test-web test-e2e bench soak format format-check clean deb test-package

all: build

deps:
	@scripts/install-deps.sh

server: deps
	@cmake -S server -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DESSAIM_WERROR=ON -DESSAIM_BUILD_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The web app is rebuilt only when one of its sources changed: `make test` builds it once, not
# again for the Playwright run and the package (about 20 s each on the CI machine).
WEB_SOURCES := $(shell find web/src web/public web/sw -type f 2>/dev/null) web/index.html \
  web/package.json web/package-lock.json web/vite.config.ts $(wildcard web/tsconfig*.json)

web: deps web/dist/index.html

web/dist/index.html: $(WEB_SOURCES) | deps
	@cd web && npm run --silent build
	@touch $@

build: server web

run: build
	@ESSAIM_WEB_DIR="$${ESSAIM_WEB_DIR:-$(CURDIR)/web/dist}" exec $(ESSAIM_BIN) serve

# Every page of the web app (web/e2e/tour.ts: sign-in, sign-up, torrents, a torrent, search,
# dashboard, account, notifications, administration) at 1280, 1024 and 390 px, light and dark,
# as web/e2e/screenshots/pages/<page>-<width>-<theme>.png: Playwright in Debian's Chromium
# against a real `essaim serve` on a throw-away data dir, torrents and search answered with
# example data from the browser side (web/e2e/sample-data.ts).
screenshots: build
	@rm -rf web/e2e/screenshots/pages
	@cd web && ESSAIM_BIN=$(ESSAIM_BIN) npm run --silent e2e -- e2e/screenshots.spec.ts --grep "pages [0-9]+ (light|dark)$$"
	@echo "make screenshots: $$(ls web/e2e/screenshots/pages | wc -l) pictures in web/e2e/screenshots/pages/"

test: build format-check check-modules test-unit test-alongside test-e2e test-package
	@echo "make test: every suite passed"

# The integration suite mostly waits (on qBittorrent, timers, sockets) while the sanitizer build,
# the fuzz smoke run and the web unit tests only compute: `make test` runs those meanwhile, at
# nice 19 so that the suite keeps the CPU whenever it wants it (scripts/alongside.sh). They all
# end before the suite does: 705 s instead of 1,067 s one after the other (docs/decisions.md).
test-alongside: server
	@scripts/alongside.sh "$(MAKE) --no-print-directory test-asan test-fuzz test-web" -- \
	  $(MAKE) --no-print-directory test-integration

# The store contract tests run on SQLite and on a throw-away PostgreSQL (scripts/pg-test.sh).
test-unit: server
	@echo "== C++ unit tests (ctest; store contract on SQLite and on PostgreSQL)"
	@pg=$$(mktemp -d); trap '$(CURDIR)/scripts/pg-test.sh stop "$$pg" >/dev/null 2>&1; rm -rf "$$pg"' EXIT; \
	  url=$$(scripts/pg-test.sh start "$$pg"); \
	  cd $(BUILD) && ESSAIM_TEST_PG_URL=$$url ctest --output-on-failure -j $(JOBS) | tail -n 4

# The pure modules (auth, store, router, config…) and their tests under AddressSanitizer and
# UndefinedBehaviorSanitizer; the network layer is exercised by the integration tests.
# -g1: line tables only — ASan's and UBSan's reports keep file:line, and the build is ~1.3×
# faster than with -g (292 s against 377 s, built one after the other on the CI machine).
test-asan: deps
	@echo "== C++ unit tests under -fsanitize=address,undefined"
	@cmake -S server -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DESSAIM_SANITIZE=ON -DESSAIM_BUILD_SERVER=OFF -DESSAIM_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) | tail -n 4

FUZZ_BUILD := server/build-fuzz
FUZZ_SECONDS ?= 60
# libFuzzer targets for every parser of untrusted bytes (clang). `make test` runs each briefly
# as a smoke test; `make fuzz` runs each for FUZZ_SECONDS.
$(FUZZ_BUILD)/build.ninja: deps
	@CC=clang CXX=clang++ cmake -S server -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DESSAIM_FUZZ=ON -DESSAIM_BUILD_SERVER=OFF -DESSAIM_BUILD_TESTS=OFF >/dev/null

fuzz: $(FUZZ_BUILD)/build.ninja
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@server/fuzz/run.sh $(FUZZ_SECONDS)

test-fuzz:
	@echo "== fuzz targets (smoke run, 5 s each, from the corpora in server/fuzz/corpus)"
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=5

# Every target for FUZZ_LONG_SECONDS (10 min) — two at a time on two cores, so about 45 min —
# then new inputs that add coverage are merged into server/fuzz/corpus (commit them).
FUZZ_LONG_SECONDS ?= 600
fuzz-long: $(FUZZ_BUILD)/build.ninja
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@FUZZ_MERGE=1 server/fuzz/run.sh $(FUZZ_LONG_SECONDS)

# The integration suite on both stores side by side (scripts/integration-tests.sh): SQLite, and a
# throw-away PostgreSQL where every test data dir gets its own database. Single store:
# make test-integration-sqlite / test-integration-pg.
test-integration: server
	@echo "== server integration tests (pytest, real essaim binary), SQLite and PostgreSQL side by side"
	@ESSAIM_BIN=$(ESSAIM_BIN) scripts/integration-tests.sh both

test-integration-sqlite: server
	@echo "== server integration tests on SQLite (pytest, real essaim binary)"
	@ESSAIM_BIN=$(ESSAIM_BIN) scripts/integration-tests.sh sqlite

test-integration-pg: server
	@echo "== server integration tests on PostgreSQL (pytest, real essaim binary)"
	@ESSAIM_BIN=$(ESSAIM_BIN) scripts/integration-tests.sh postgresql

test-web: deps
	@echo "== web unit tests (vitest)"
	@cd web && npm run --silent test

test-e2e: build
	@echo "== end-to-end tests (Playwright, Debian Chromium)"
	@ESSAIM_BIN=$(ESSAIM_BIN) scripts/e2e.sh

# The web app table needs web/dist; Flood is installed by run.sh itself.
bench: build
	@server/bench/run.sh
	@[ "$${SKIP_STORES:-0}" = 1 ] || server/bench/stores.sh

soak: server
	@server/bench/soak.sh

# The Debian package (debian/, Debian 12): debian/rules runs `make build` (no second compile)
# and packs server/build/essaim and web/dist into dist/essaim_<version>_amd64.deb. The version
# comes from debian/changelog and must be CMake's project() version.
deb: deps
	@cmake_v=$$(sed -n 's/^project(essaim VERSION \([0-9.]*\).*/\1/p' server/CMakeLists.txt); \
	  deb_v=$$(dpkg-parsechangelog -S Version); \
	  if [ "$$cmake_v" != "$$deb_v" ]; then \
	    echo "make deb: debian/changelog says $$deb_v but server/CMakeLists.txt says $$cmake_v:" \
	      "add a debian/changelog entry for $$cmake_v (dch -v $$cmake_v) or fix project()" >&2; \
	    exit 1; \
	  fi
	@dpkg-checkbuilddeps || { echo "make deb: missing Build-Depends (debian/control): make deps" >&2; exit 1; }
	@mkdir -p dist
	@rm -f dist/essaim_$$(dpkg-parsechangelog -S Version)_*.deb
	@debian/rules clean >/dev/null
	@debian/rules build
	@debian/rules binary
	@debian/rules clean >/dev/null
	@ls dist/essaim_$$(dpkg-parsechangelog -S Version)_$$(dpkg-architecture -qDEB_HOST_ARCH).deb

# Installs, runs, upgrades and purges the package on this machine (apt-get, root): see
# server/tests/package/test_package.py.
test-package: deb
	@echo "== Debian package (lintian, install, run, upgrade, purge)"
	@cd server/tests/package && /usr/bin/python3 -m pytest -q -p no:cacheprovider
	@echo "systemd-analyze security essaim.service: $$(systemd-analyze security --offline=true debian/essaim.service 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')"

format:
	@clang-format -i $$(git ls-files 'server/*.cpp' 'server/*.hpp')

# The module graph of server/src has no cycle, and the pure modules include no network or
# database header (docs/architecture.md).
check-modules:
	@echo "== module graph (scripts/check-modules.py)"
	@scripts/check-modules.py

format-check:
	@clang-format --dry-run --Werror $$(git ls-files 'server/*.cpp' 'server/*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
