#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test: the unit tests under ASan and UBSan (scripts/sanitize.sh), every
# fuzz target for 17 s (scripts/fuzz.sh), then unit tests (GoogleTest),
# integration tests against the real binary (pytest) and the formatting check.
# A throwaway PostgreSQL cluster (scripts/pg_test_cluster.sh) serves the store
# tests' PostgreSQL backend in both unit runs and the integration suite's
# second run (integration_postgres); it is removed on exit, as is the Dovecot
# that serves the reporting mailboxes' tests.
# This is exactly what CI runs; the main suite runs last so its summary closes
# the output. Extra arguments go to the main ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
# Paths relative to the checkout, so ccache serves every clone and build
# directory: without NOHASHDIR ccache hashes the working directory of every
# compile with debug information, and a clone elsewhere misses the whole cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR=1
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build build
root=$PWD
pg_dir=$(mktemp -d /tmp/pd_pg.XXXXXX)
# Absolute: the trap runs after the cd into build/ below.
# A throwaway Dovecot (scripts/dovecot_test_server.sh) is the IMAP server of
# the reporting mailboxes' tests, unit and integration.
imap_dir=$(mktemp -d /tmp/pd_imap.XXXXXX)
trap '"$root/scripts/pg_test_cluster.sh" stop "$pg_dir"; "$root/scripts/dovecot_test_server.sh" stop "$imap_dir"' EXIT
PHISHDRILL_TEST_PG_URL=$(scripts/pg_test_cluster.sh start "$pg_dir")
PHISHDRILL_TEST_PG_CA=$pg_dir/ca.crt  # the cluster's TLS certificate authority
export PHISHDRILL_TEST_PG_URL PHISHDRILL_TEST_PG_CA
scripts/dovecot_test_server.sh start "$imap_dir"
export PHISHDRILL_TEST_IMAP_DIR=$imap_dir
scripts/sanitize.sh
scripts/fuzz.sh 17
cd build
ctest --output-on-failure --timeout 900 -j 2 "$@"
