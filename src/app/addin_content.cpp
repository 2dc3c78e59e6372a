#include "app/addin_content.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log_text.h"

namespace phishdrill::app {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 1u << 20;

std::string content_type_of(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  return "";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

phish::AddinContent load_addin_content(const std::string& dir) {
  phish::AddinContent content;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    spdlog::warn("event=addin_content_missing dir={}", log_value(dir));
    return content;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.file_size() > kMaxFileBytes) continue;
    const auto& path = entry.path();
    if (path.filename() == "manifest.xml.in") {
      content.manifest_template = read_file(path);
      continue;
    }
    const std::string type = content_type_of(path);
    if (type.empty()) continue;
    content.files[path.filename().string()] = {type, read_file(path)};
  }
  spdlog::info("event=addin_loaded files={} manifest={}", content.files.size(),
               !content.manifest_template.empty());
  return content;
}

}  // namespace phishdrill::app
