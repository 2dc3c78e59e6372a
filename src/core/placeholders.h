// "{{.Name}}" placeholders (spaces allowed inside the braces: "{{ .Name }}")
// in texts that are not full templates: feedback texts, the library's own
// variables. Pure; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

// The name of each "{{…}}" in order ("" for one that is not a bare
// ".Name"); nullopt when a "{{" is never closed.
std::optional<std::vector<std::string>> placeholder_names(std::string_view text);

// The text with each placeholder `value` knows replaced (values are not
// scanned again); the others, and an unclosed "{{", stay as written.
std::string fill_placeholders(
    std::string_view text,
    const std::function<std::optional<std::string>(std::string_view name)>& value);

}  // namespace phishdrill
