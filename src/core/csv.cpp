#include "core/csv.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "core/text_decoding.h"

namespace phishdrill {

namespace {

constexpr std::string_view kSeparators = ",;\t";
// Where a reader may start a new cell: any separator a spreadsheet uses, and
// line breaks (for readers that ignore quotes).
constexpr std::string_view kCellBreaks = ",;\t\r\n";

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

std::string separator_name(char separator) {
  switch (separator) {
    case ';':
      return "semicolons";
    case '\t':
      return "tabs";
    default:
      return "commas";
  }
}

// Excel writes and honours a first line "sep=X". Returns X and removes the
// line from `text`, or returns '\0'.
char take_sep_directive(std::string_view& text, std::size_t& line) {
  if (text.size() < 5 || !text.starts_with("sep=")) return '\0';
  const char separator = text[4];
  if (kSeparators.find(separator) == std::string_view::npos) return '\0';
  if (text.size() > 5 && !is_line_end(text[5])) return '\0';
  text.remove_prefix(5);
  if (!text.empty()) text.remove_prefix(skip_line_end(text, 0));
  ++line;
  return separator;
}

// The separator used most often on the first non-blank line, counted outside
// quotes; ties go to comma, then semicolon. A one-column file is comma.
char sniff_separator(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_line_end(text[i])) ++i;
  std::array<std::size_t, 3> counts{};
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && is_line_end(c)) {
      break;
    } else if (!quoted) {
      if (const std::size_t k = kSeparators.find(c); k != std::string_view::npos) ++counts[k];
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kSeparators[best];
}

class Parser {
 public:
  Parser(std::string_view text, char separator, std::size_t first_line)
      : text_(text), separator_(separator), line_(first_line) {}

  Result<std::vector<CsvRow>> rows() {
    std::vector<CsvRow> rows;
    while (i_ < text_.size()) {
      if (is_line_end(text_[i_])) {  // blank line
        i_ = skip_line_end(text_, i_);
        ++line_;
        continue;
      }
      auto row = record();
      if (!row) return std::unexpected(std::move(row.error()));
      rows.push_back(std::move(*row));
    }
    return rows;
  }

 private:
  Result<CsvRow> record() {
    CsvRow row;
    row.line = line_;
    while (true) {
      std::string field;
      if (text_[i_] == '"') {
        if (auto ok = quoted_part(field); !ok) return std::unexpected(std::move(ok.error()));
      }
      // Unquoted text, or text after a closing quote: kept literally, quotes
      // included, as Excel reads it.
      while (i_ < text_.size() && text_[i_] != separator_ && !is_line_end(text_[i_])) {
        field += text_[i_++];
      }
      row.fields.push_back(std::move(field));
      if (i_ >= text_.size()) return row;
      if (text_[i_] == separator_) {
        ++i_;
        // A trailing separator yields an empty last field.
        if (i_ >= text_.size()) {
          row.fields.emplace_back();
          return row;
        }
        continue;
      }
      i_ = skip_line_end(text_, i_);
      ++line_;
      return row;
    }
  }

  Result<void> quoted_part(std::string& field) {
    const std::size_t quote_line = line_;
    ++i_;
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == '"') {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
          field += '"';
          i_ += 2;
          continue;
        }
        ++i_;
        return {};
      }
      // Count physical lines inside the field so later records report the right line.
      if (c == '\n' || (c == '\r' && (i_ + 1 >= text_.size() || text_[i_ + 1] != '\n'))) ++line_;
      field += c;
      ++i_;
    }
    return csv_error(quote_line, "a quoted field is never closed (missing \")");
  }

  std::string_view text_;
  char separator_;
  std::size_t line_;
  std::size_t i_ = 0;
};

// Code points that count as leading space before a formula start.
constexpr std::string_view kLeadingSpaces[] = {" ", "\u00A0", "\u3000"};
constexpr std::string_view kFormulaStarts[] = {"=",  "+",      "-",      "@",      "\t",
                                               "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"};

}  // namespace

Result<CsvDocument> parse_csv_document(std::string_view bytes) {
  auto decoded = decode_spreadsheet_text(bytes);
  if (!decoded) return std::unexpected(std::move(decoded.error()));
  CsvDocument document;
  if (decoded->encoding == TextEncoding::kWindows1252) {
    document.warnings.push_back(
        {decoded->first_legacy_line,
         {},
         "the file is not UTF-8 (from this line on); it was read as Windows-1252, the encoding "
         "Excel uses for CSV on Windows: check that accented letters came through"});
  }
  std::string_view text = decoded->utf8;
  std::size_t line = 1;
  char separator = take_sep_directive(text, line);
  if (separator == '\0') separator = sniff_separator(text);
  document.separator = separator;
  if (separator != ',') {
    document.warnings.push_back(
        {line, {}, "the columns are separated by " + separator_name(separator)});
  }
  auto rows = Parser(text, separator, line).rows();
  if (!rows) return std::unexpected(std::move(rows.error()));
  document.rows = std::move(*rows);
  return document;
}

Result<std::vector<CsvRow>> parse_csv(std::string_view bytes) {
  auto document = parse_csv_document(bytes);
  if (!document) return std::unexpected(std::move(document.error()));
  return std::move(document->rows);
}

bool is_formula_like(std::string_view cell) {
  bool skipped = true;
  while (skipped) {
    skipped = false;
    for (const std::string_view space : kLeadingSpaces) {
      if (cell.starts_with(space)) {
        cell.remove_prefix(space.size());
        skipped = true;
      }
    }
  }
  for (const std::string_view start : kFormulaStarts) {
    if (cell.starts_with(start)) return true;
  }
  return false;
}

std::string neutralise_formulas(std::string_view cell) {
  std::string out;
  out.reserve(cell.size() + 1);
  bool segment_start = true;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (segment_start && is_formula_like(cell.substr(i))) out += '\'';
    const char c = cell[i];
    out += c;
    segment_start = kCellBreaks.find(c) != std::string_view::npos;
  }
  return out;
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const std::string value = neutralise_formulas(fields[i]);
    if (value.find_first_of(kCellBreaks) == std::string::npos &&
        value.find('"') == std::string::npos) {
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
