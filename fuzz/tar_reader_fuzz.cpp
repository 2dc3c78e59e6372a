// Fuzzes the in-memory tar reader used by training-module import. Invariants
// on success: the limits hold, every path is relative and safe (no empty,
// "." or ".." component, no backslash or control character, no trailing
// '/'), paths are unique and directories carry no data.
#include <set>
#include <string>

#include "fuzz_input.h"
#include "training/tar_reader.h"

using phishdrill::fuzz::check;

namespace {

bool safe_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  for (const char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto component = path.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const phishdrill::TarLimits limits{.max_entries = 16, .max_unpacked_bytes = 64 * 1024};
  const auto entries = phishdrill::read_tar(phishdrill::fuzz::as_text(data, size), limits);
  if (!entries) {
    check(!entries.error().message.empty(), "tar errors have a message");
    return 0;
  }
  check(entries->size() <= limits.max_entries, "entry limit holds");
  std::uint64_t unpacked = 0;
  std::set<std::string> paths;
  for (const auto& entry : *entries) {
    check(safe_path(entry.path), "entry paths are safe");
    check(paths.insert(entry.path).second, "entry paths are unique");
    if (entry.type == phishdrill::TarEntry::Type::kDirectory) {
      check(entry.data.empty(), "directories have no data");
    }
    unpacked += entry.data.size();
  }
  check(unpacked <= limits.max_unpacked_bytes, "size limit holds");
  return 0;
}
