#include "core/csv.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "core/utf8.h"

namespace phishdrill {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::unexpected<Error> csv_error(std::size_t line, std::string reason) {
  Error error{ErrorCode::kInvalidCsv,
              "invalid CSV on line " + std::to_string(line) + ": " + reason,
              {},
              {RowIssue{line, {}, std::move(reason)}},
              0};
  return std::unexpected<Error>(std::move(error));
}

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

// Consumes one line end at `i` (CRLF, LF, or a lone CR as old Mac exports
// write) and returns the index after it.
std::size_t skip_line_end(std::string_view text, std::size_t i) {
  if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') return i + 2;
  return i + 1;
}

// Names every physical line that is not valid UTF-8, so the person can find
// the cells their spreadsheet saved in another encoding.
std::unexpected<Error> invalid_utf8_lines(std::string_view text) {
  constexpr std::size_t kMaxIssues = 1000;
  Error error{
      ErrorCode::kInvalidCsv, "the CSV file is not valid UTF-8; save it as UTF-8", {}, {}, 0};
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size() && error.rows.size() < kMaxIssues) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (!is_valid_utf8(text.substr(start, end - start))) {
      error.rows.push_back(
          {line, {}, "is not valid UTF-8 (the file was saved in another encoding)"});
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  return std::unexpected(std::move(error));
}

}  // namespace

Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
  if (!is_valid_utf8(text)) return invalid_utf8_lines(text);
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  std::vector<CsvRow> rows;
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t line = 1;
  while (i < n) {
    if (is_line_end(text[i])) {  // blank line
      i = skip_line_end(text, i);
      ++line;
      continue;
    }
    CsvRow row;
    row.line = line;
    bool record_done = false;
    while (!record_done) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          // Count physical lines inside the field so later records report the right line.
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          return csv_error(quote_line, "a quoted field is never closed (missing \")");
        }
        if (i < n && text[i] != ',' && !is_line_end(text[i])) {
          return csv_error(line, "unexpected text after a closing quote");
        }
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != ',' && !is_line_end(text[i])) {
          if (text[i] == '"') {
            return csv_error(line,
                             "a quote inside an unquoted field (quote the whole field and "
                             "double the inner quote)");
          }
          ++i;
        }
        field.assign(text.substr(start, i - start));
      }
      row.fields.push_back(std::move(field));
      if (i >= n) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;  // a trailing comma yields an empty last field, handled by the next pass
      } else {
        i = skip_line_end(text, i);
        ++line;
        record_done = true;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    std::string value = fields[i];
    if (!value.empty() &&
        std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
      value.insert(value.begin(), '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
      out += value;
      continue;
    }
    out += '"';
    for (const char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

}  // namespace phishdrill
