#include "training/folder_tar.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "training/tar_writer.h"

namespace phishdrill {

namespace fs = std::filesystem;

Result<std::string> tar_folder(const fs::path& folder, std::uint64_t max_bytes) {
  const std::string name = folder.filename().string();
  std::vector<TarEntry> entries;
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) continue;
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) {
      return fail(ErrorCode::kValidation,
                  fmt::format("{}: only files and folders can be packed", it->path().string()));
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    total += data.str().size();
    if (!in || total > max_bytes) {
      return fail(ErrorCode::kValidation,
                  fmt::format("{}: cannot be read, or the folder is over {} bytes",
                              it->path().string(), max_bytes));
    }
    const std::string path = name + "/" + fs::relative(it->path(), folder).generic_string();
    entries.push_back({path, TarEntry::Type::kFile, data.str()});
  }
  if (ec) return fail(ErrorCode::kInternal, fmt::format("{}: {}", folder.string(), ec.message()));
  std::sort(entries.begin(), entries.end(),
            [](const TarEntry& a, const TarEntry& b) { return a.path < b.path; });
  return write_tar(entries, 0);
}

}  // namespace phishdrill
