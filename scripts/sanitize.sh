#!/usr/bin/env bash
# Builds the unit tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang++-19, every finding fatal) in build-sanitize/ and runs them through CTest. The
# integration suite and the formatting check are left to scripts/test.sh.
# Extra arguments go to ctest (e.g. -R Csv).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/sanitized_build.sh
build=$sanitized_build
configure_sanitized_build
unit_targets=(unit_core unit_crypto unit_store unit_service unit_net unit_mail unit_api unit_jobs unit_phish
              unit_training unit_library unit_spelling unit_app)
cmake --build "$build" --target "${unit_targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
ctest --output-on-failure --timeout 900 -j 2 -E '^(integration|integration_postgres|clang_format)$' "$@"
