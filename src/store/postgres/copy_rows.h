// CopyRows: rows on their way into a table through COPY … FROM STDIN (text
// format). Values are given in PostgreSQL's text input form ("42", "t",
// "\x0aff" for bytea) and escaped here for COPY's framing (backslash, tab,
// newline, carriage return), so any text goes through unchanged. Rows are
// sent in chunks of about kChunkBytes, so memory stays bounded whatever the
// table's size. Not thread-safe: it belongs to the COPY it feeds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/postgres/connection.h"

namespace phishdrill::pg {

// `text` escaped as one field of COPY's text format, appended to `line`.
void append_copy_field(std::string& line, std::string_view text);

class CopyRows {
 public:
  static constexpr std::size_t kChunkBytes = 1 << 20;

  // `conn` has a COPY … FROM STDIN in progress (Connection::begin_copy).
  explicit CopyRows(Connection& conn) : conn_(conn) {}
  CopyRows(const CopyRows&) = delete;
  CopyRows& operator=(const CopyRows&) = delete;

  void add_null();
  void add(std::string_view text);
  // Ends the row; sends the chunk once it is full.
  Result<void> end_row();
  // Sends what is left (before Connection::end_copy).
  Result<void> flush();
  std::int64_t rows() const { return rows_; }

 private:
  void separate();

  Connection& conn_;
  std::string chunk_;
  bool row_open_ = false;
  std::int64_t rows_ = 0;
};

}  // namespace phishdrill::pg
