// CSV as spreadsheets write it, and CSV that spreadsheets read safely.
//
// Parsing accepts what Excel and Google Sheets export: the separator is
// sniffed from the header line (comma, semicolon or tab, counted outside
// quotes; Excel's "sep=;" first line is honoured); UTF-8 with or without a
// BOM, UTF-16 with a BOM, and anything else read as Windows-1252 (with a
// warning); quoted fields holding separators, doubled quotes and line breaks;
// quotes inside an unquoted field and text after a closing quote are kept
// literally, as Excel reads them; CRLF, LF or lone CR line ends.
//
// Writing is the single exporter for every CSV download: cells holding a
// separator (comma, semicolon, tab), a quote or a line break are quoted, and a
// cell a spreadsheet would run as a formula is neutralised.
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

struct CsvDocument {
  std::vector<CsvRow> rows;
  char separator = ',';
  std::vector<RowIssue> warnings;  // what was guessed or converted, with the line
};

// Parses the whole file (bytes as uploaded). Blank lines are skipped. Fails
// with kInvalidCsv (one RowIssue with the line) only on a quoted field that is
// never closed, or on broken UTF-16.
Result<CsvDocument> parse_csv_document(std::string_view bytes);

// parse_csv_document's rows, for callers that need no warnings.
Result<std::vector<CsvRow>> parse_csv(std::string_view bytes);

// True when a spreadsheet would evaluate `cell` as a formula: after any
// leading spaces (ASCII, no-break or ideographic), it starts with = + - @, a
// tab or a CR, or their full-width forms ＝ ＋ － ＠.
bool is_formula_like(std::string_view cell);

// `cell` with a quote mark (') put before every formula-like start: at the
// beginning, and after every comma, semicolon, tab, CR or LF inside it. A
// reader with another separator (Excel in a semicolon locale reads
// `x,";=1+1;"` as the cells `x,"`, `=1+1` and `"`) or one that ignores quotes
// splits there, and the part after the split must not run either.
std::string neutralise_formulas(std::string_view cell);

// Appends one RFC 4180 record (CRLF-terminated) to `out`: each cell
// neutralised, then quoted (inner quotes doubled) when it holds a comma,
// semicolon, tab, quote, CR or LF.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace phishdrill
