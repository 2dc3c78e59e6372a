// Helpers shared by the libFuzzer targets: the input as text, split into
// parts at NUL bytes (so a seed file can be a plain document, with optional
// extra parts after a NUL), and a check that aborts with a message, so a
// broken invariant is reported like a crash. Not thread-safe (fuzzers are not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace phishdrill::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The parts of `text` between NUL bytes; always at least `count` parts (the
// missing ones empty), the last one holding the rest, NULs included.
inline std::vector<std::string_view> split_parts(std::string_view text, std::size_t count) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const auto nul = text.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(text.substr(0, nul));
    text.remove_prefix(nul + 1);
  }
  parts.push_back(text);
  parts.resize(count);
  return parts;
}

// Aborts (a libFuzzer crash with a stack trace) when `condition` is false.
inline void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace phishdrill::fuzz
