// number_array / id_array / text_array: a list as a PostgreSQL array literal ("{1,2,3}",
// {"a","b \"c\""}), for one parameter that a statement reads with
// $n::bigint[] or $n::text[] (ANY, unnest) instead of building SQL text per
// list or a statement per item. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace phishdrill::pg {

// "{e1,e2,…}" with each element written by append(text, item).
template <typename Range, typename Append>
std::string array_literal(const Range& items, Append append) {
  std::string text = "{";
  bool first = true;
  for (const auto& item : items) {
    if (!first) text += ',';
    first = false;
    append(text, item);
  }
  return text + "}";
}

// Integers (or anything std::to_string takes) of each item, unquoted.
template <typename Range, typename Project>
std::string number_array(const Range& items, Project project) {
  return array_literal(
      items, [&](std::string& text, const auto& item) { text += std::to_string(project(item)); });
}

inline std::string id_array(std::span<const std::int64_t> ids) {
  return number_array(ids, [](std::int64_t id) { return id; });
}

// Every element quoted, with '"' and '\\' escaped: any text round-trips.
template <typename Range, typename Project>
std::string text_array(const Range& items, Project project) {
  return array_literal(items, [&](std::string& text, const auto& item) {
    text += '"';
    for (const char c : project(item)) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    text += '"';
  });
}

}  // namespace phishdrill::pg
