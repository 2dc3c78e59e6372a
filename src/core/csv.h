// RFC 4180 CSV parsing (quoted fields with commas, doubled quotes and line
// breaks; CRLF or LF line ends; a leading UTF-8 BOM is skipped).
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct CsvRow {
  std::size_t line = 0;  // 1-based physical line on which the record starts
  std::vector<std::string> fields;
};

// Parses the whole text. Blank lines are skipped. Fails with kInvalidCsv (one
// RowIssue with the line) on an unterminated quoted field or on a stray quote
// inside an unquoted field, and with kInvalidCsv naming every line that is not
// valid UTF-8 (at most 1000).
Result<std::vector<CsvRow>> parse_csv(std::string_view text);

// Appends one RFC 4180 record (CRLF-terminated) to `out`. Fields with commas,
// quotes or line breaks are quoted; a field a spreadsheet would run as a
// formula (starting with =, +, -, @, tab or CR) is prefixed with a quote mark.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace phishdrill
