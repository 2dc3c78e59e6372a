#!/usr/bin/env bash
# Installs what is missing, builds Phishdrill, and starts it with a demo
# workspace on the embedded SQLite database in ./data. Stop it with Ctrl-C.
# Any PHISHDRILL_* variable set in the environment is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target phishdrill
export PHISHDRILL_DATA_DIR="${PHISHDRILL_DATA_DIR:-./data}"
exec ./build/phishdrill serve --demo "$@"
