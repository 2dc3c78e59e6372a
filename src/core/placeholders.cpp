#include "core/placeholders.h"

namespace phishdrill {
namespace {

// The name inside "{{ .Name }}", or "" when `inner` is not a bare placeholder.
std::string_view bare_name(std::string_view inner) {
  const auto first = inner.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  const auto last = inner.find_last_not_of(' ');
  const std::string_view trimmed = inner.substr(first, last - first + 1);
  if (trimmed.size() < 2 || trimmed.front() != '.') return {};
  const std::string_view name = trimmed.substr(1);
  for (const char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word) return {};
  }
  return name;
}

}  // namespace

std::optional<std::vector<std::string>> placeholder_names(std::string_view text) {
  std::vector<std::string> names;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    const std::size_t end = text.find("}}", at + 2);
    if (end == std::string_view::npos) return std::nullopt;
    names.emplace_back(bare_name(text.substr(at + 2, end - at - 2)));
    at = end + 2;
  }
  return names;
}

std::string fill_placeholders(
    std::string_view text,
    const std::function<std::optional<std::string>(std::string_view name)>& value) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    const std::size_t end = text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    const std::string_view name = bare_name(text.substr(at + 2, end - at - 2));
    if (auto filled = name.empty() ? std::nullopt : value(name)) {
      out.append(text.substr(copied, at - copied));
      out += *filled;
      copied = end + 2;
    }
    at = end + 2;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace phishdrill
