#include "store/postgres/copy_rows.h"

namespace phishdrill::pg {

void append_copy_field(std::string& line, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

void CopyRows::separate() {
  if (row_open_) chunk_ += '\t';
  row_open_ = true;
}

void CopyRows::add_null() {
  separate();
  chunk_ += "\\N";
}

void CopyRows::add(std::string_view text) {
  separate();
  append_copy_field(chunk_, text);
}

Result<void> CopyRows::end_row() {
  chunk_ += '\n';
  row_open_ = false;
  ++rows_;
  if (chunk_.size() < kChunkBytes) return {};
  return flush();
}

Result<void> CopyRows::flush() {
  if (chunk_.empty()) return {};
  try {
    conn_.put_copy_data(chunk_);
  } catch (const Failure& failure) {
    return std::unexpected(to_error(failure));
  }
  chunk_.clear();
  return {};
}

}  // namespace phishdrill::pg
