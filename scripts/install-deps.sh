#!/usr/bin/env bash
# Installs what essaim needs to build, run and test on Debian 12 (bookworm): Debian packages
# with apt-get (only the missing ones, so a second run is instant), the web app's npm packages
# and the integration tests' Node clients with `npm ci` (each only when its package-lock.json
# changed). Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libsqlite3-dev libsqlitecpp-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev libcurl4-openssl-dev zlib1g-dev
  libarchive-dev  # essaim backup / restore: the .tar.gz archive (issue 21)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-pytest curl wrk
  qbittorrent-nox mktorrent opentracker nginx aria2 chromium clang-format
  clang libclang-rt-14-dev
  # make bench / make soak: the reference portal (FastAPI on uvicorn), WebSocket load clients
  python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-websockets
  # PostgreSQL store (issue 9): the client library essaim links, and the server that
  # scripts/pg-test.sh starts in a temporary directory for the tests (no system cluster needed);
  # psycopg2 for the integration tests that read or write the database (make test-integration-pg)
  libpq-dev postgresql python3-psycopg2
  # make deb (issue 21): the Debian package is built with debhelper (dh, compat 13; Rules-Requires-
  # Root: no, so without fakeroot) and checked with lintian (make test-package)
  debhelper lintian
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts nginx as a service when the package is installed; essaim's tests run their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
fi

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "install-deps: Node.js 20 or newer is required for the web app (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
stamp=web/node_modules/.essaim-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
  echo "install-deps: npm ci (web)"
  (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
fi
# The real qBittorrent client library that the integration tests drive against /api/v2
# (server/tests/integration/test_qbt_api_clients.py).
clients=server/tests/integration/clients
stamp=$clients/node_modules/.essaim-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s $clients/package-lock.json "$stamp"; then
  echo "install-deps: npm ci ($clients)"
  (cd $clients && npm ci --no-audit --no-fund --loglevel=error)
  cp $clients/package-lock.json "$stamp"
fi
