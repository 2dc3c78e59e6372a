// id_array / text_array: a list as a PostgreSQL array literal ("{1,2,3}",
// {"a","b \"c\""}), for one parameter that a statement reads with
// $n::bigint[] or $n::text[] (ANY, unnest) instead of building SQL text per
// list or a statement per item. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace phishdrill::pg {

inline std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string text = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(ids[i]);
  }
  return text + "}";
}

// Integers (or anything std::to_string takes) of each item, unquoted.
template <typename Range, typename Project>
std::string number_array(const Range& items, Project project) {
  std::string text = "{";
  bool first = true;
  for (const auto& item : items) {
    if (!first) text += ',';
    first = false;
    text += std::to_string(project(item));
  }
  return text + "}";
}

// Every element quoted, with '"' and '\\' escaped: any text round-trips.
template <typename Range, typename Project>
std::string text_array(const Range& items, Project project) {
  std::string text = "{";
  bool first = true;
  for (const auto& item : items) {
    if (!first) text += ',';
    first = false;
    text += '"';
    for (const char c : project(item)) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  }
  return text + "}";
}

}  // namespace phishdrill::pg
