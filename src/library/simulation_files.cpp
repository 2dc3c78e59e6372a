#include "library/simulation_files.h"

#include <fmt/format.h>

#include "core/slug.h"
#include "training/content_files.h"

namespace phishdrill {

namespace fs = std::filesystem;

const std::string* SimulationFiles::find(std::string_view path) const {
  const auto it = files.find(path);
  return it == files.end() ? nullptr : &it->second;
}

Result<void> check_simulation_file_name(const fs::path& origin, std::string_view path) {
  static constexpr std::string_view kTopLevel[] = {"simulation.toml", "email.html", "email.txt",
                                                   "landing.html"};
  for (const auto name : kTopLevel) {
    if (path == name) return {};
  }
  if (path.starts_with("attachments/")) {
    const std::string_view name = path.substr(12);
    const auto dot = name.rfind('.');
    if (dot != std::string_view::npos && is_slug(name.substr(0, dot)) &&
        name.find('/') == std::string_view::npos) {
      return {};
    }
  }
  return invalid_content(origin / std::string(path),
                         "is not part of a simulation (simulation.toml, email.html, email.txt, "
                         "landing.html, attachments/<name>)");
}

Result<SimulationFiles> read_simulation_folder(const fs::path& folder) {
  SimulationFiles out{folder.filename().string(), {}, folder};
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory()) {
      if (it.depth() == 0 && it->path().filename() == "attachments") continue;
      return invalid_content(it->path(), "is not part of a simulation (only attachments/)");
    }
    const std::string path = fs::relative(it->path(), folder).generic_string();
    PD_TRY(check_simulation_file_name(folder, path));
    std::string text = PD_TRY(read_content_text(it->path()));
    if (text.size() > kMaxSimulationFileBytes) {
      return invalid_content(it->path(), fmt::format("is over {} bytes", kMaxSimulationFileBytes));
    }
    out.files.emplace(path, std::move(text));
  }
  if (ec) return invalid_content(folder, "cannot be listed: " + ec.message());
  return out;
}

}  // namespace phishdrill
