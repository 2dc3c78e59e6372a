#include "training/content_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/utf8.h"

namespace phishdrill {

namespace fs = std::filesystem;

std::unexpected<Error> invalid_content(const fs::path& file, std::string_view problem) {
  return fail(ErrorCode::kValidation, fmt::format("{}: {}", file.string(), problem));
}

Result<std::string> read_content_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid_content(file, "cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (!is_valid_utf8(text)) return invalid_content(file, "is not valid UTF-8");
  return text;
}

Result<toml::table> read_content_toml(const fs::path& file) {
  auto text = read_content_text(file);
  if (!text) return std::unexpected(text.error());
  try {
    return toml::parse(*text, file.string());
  } catch (const toml::parse_error& e) {
    return invalid_content(file,
                           fmt::format("{} (line {})", e.description(), e.source().begin.line));
  }
}

}  // namespace phishdrill
