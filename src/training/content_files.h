// Reading shipped and imported content (training modules, the simulation
// library): a file's text (valid UTF-8) or its TOML (slugs: core/slug.h). Every
// failure is kValidation naming the file and the problem, so a broken
// content folder says where it is broken. Thread-safe (no state).
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

std::unexpected<Error> invalid_content(const std::filesystem::path& file, std::string_view problem);

Result<std::string> read_content_text(const std::filesystem::path& file);
Result<toml::table> read_content_toml(const std::filesystem::path& file);

}  // namespace phishdrill
