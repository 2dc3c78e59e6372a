#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang++-19 with ASan and UBSan) in
# build-sanitize/ (shared with scripts/sanitize.sh) and runs each for SECONDS (default 60) on a copy of its seed
# corpus in fuzz/corpus/<target>/ (the repository's corpus never grows).
# Prints runs, executions per second and CPU time per target; exits non-zero
# when any target crashes, leaks, times out or breaks an invariant (the input
# is kept in build-sanitize/artifacts/<target>/). Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
source scripts/sanitized_build.sh
build=$sanitized_build
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in fuzz/*_fuzz.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

configure_sanitized_build
cmake --build "$build" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
symbolizer=$(command -v llvm-symbolizer-19 || command -v llvm-symbolizer || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
failed=()
printf '%-22s %10s %8s %10s %s\n' target runs exec/s cpu_s result
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts"
  cp -r "fuzz/corpus/$target/." "$corpus/"
  log="$build/logs/$target.log"
  mkdir -p "$(dirname "$log")"
  dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  max_len=16384
  case "$target" in tar_reader_fuzz | pack_reader_fuzz) max_len=65536 ;; esac  # 512-byte tar blocks
  status=0
  ( TIMEFORMAT='%U %S'; time "$build/fuzz/$target" "$corpus" "${dict[@]}" -max_total_time="$seconds" \
      -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" ) >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cpu=$(tail -1 "$log" | awk '{printf "%.0f", $1 + $2}')
  result=ok
  if [ $status -ne 0 ]; then
    result="FAILED (see $log, input in $artifacts/)"
    failed+=("$target")
  fi
  printf '%-22s %10s %8s %10s %s\n' "$target" "${runs:-0}" "${rate:-0}" "${cpu:-?}" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each, no crash"
