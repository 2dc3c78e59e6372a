#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test: unit tests (GoogleTest), integration tests against the real binary
# (pytest) and the formatting check. This is exactly what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build build
cd build
ctest --output-on-failure --timeout 900 -j 2 "$@"
