# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the one sanitized build
# they share (build-sanitize/, clang++-19, ASan + UBSan + libFuzzer coverage),
# so CI compiles the libraries twice in all (this and the normal build).
# Line tables only (-g1): enough for sanitizer reports, and a quicker compile.
sanitized_build=build-sanitize

configure_sanitized_build() {
  cmake -S . -B "$sanitized_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DPHISHDRILL_FUZZ=ON -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
}
