#include "store/row_readers.h"

namespace phishdrill::rows {

std::string prefixed_columns(std::string_view columns, std::string_view prefix) {
  if (prefix.empty()) return std::string(columns);
  std::string out;
  while (!columns.empty()) {
    const auto comma = columns.find(", ");
    if (!out.empty()) out += ", ";
    out += std::string(prefix) + "." + std::string(columns.substr(0, comma));
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 2);
  }
  return out;
}

}  // namespace phishdrill::rows
