#include "core/target_csv.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/csv.h"

namespace phishdrill {

namespace {

constexpr std::size_t kMaxRowIssues = 1000;

enum class Column : std::size_t {
  kEmail,
  kFirstName,
  kLastName,
  kPosition,
  kDepartment,
  kManagerEmail,
  kLocale,
  kCount,
};

constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::kCount);

// The API's name of each column, in Column order.
constexpr std::array<std::string_view, kColumnCount> kFieldNames = {
    "email", "first_name", "last_name", "position", "department", "manager_email", "locale"};

// Header names after folding (lower case, no spaces, '_' or '-').
struct Alias {
  std::string_view folded;
  Column column;
};

constexpr Alias kAliases[] = {
    {"email", Column::kEmail},
    {"emailaddress", Column::kEmail},
    {"mail", Column::kEmail},
    {"firstname", Column::kFirstName},
    {"fname", Column::kFirstName},
    {"givenname", Column::kFirstName},
    {"lastname", Column::kLastName},
    {"lname", Column::kLastName},
    {"surname", Column::kLastName},
    {"familyname", Column::kLastName},
    {"position", Column::kPosition},
    {"title", Column::kPosition},
    {"jobtitle", Column::kPosition},
    {"role", Column::kPosition},
    {"department", Column::kDepartment},
    {"dept", Column::kDepartment},
    {"manager", Column::kManagerEmail},
    {"manageremail", Column::kManagerEmail},
    {"manageremailaddress", Column::kManagerEmail},
    {"locale", Column::kLocale},
    {"language", Column::kLocale},
    {"lang", Column::kLocale},
    // The same columns as European spreadsheets name them (German, Dutch,
    // French, Spanish; ASCII spellings).
    {"emailadresse", Column::kEmail},
    {"correo", Column::kEmail},
    {"courriel", Column::kEmail},
    {"vorname", Column::kFirstName},
    {"voornaam", Column::kFirstName},
    {"prenom", Column::kFirstName},
    {"nombre", Column::kFirstName},
    {"nachname", Column::kLastName},
    {"achternaam", Column::kLastName},
    {"nom", Column::kLastName},
    {"apellido", Column::kLastName},
    {"apellidos", Column::kLastName},
    {"abteilung", Column::kDepartment},
    {"afdeling", Column::kDepartment},
    {"departement", Column::kDepartment},
    {"departamento", Column::kDepartment},
    {"sprache", Column::kLocale},
};

std::string fold_header(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (c == ' ' || c == '\t' || c == '_' || c == '-') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::optional<Column> column_for(std::string_view header) {
  const std::string folded = fold_header(header);
  for (const Alias& alias : kAliases) {
    if (alias.folded == folded) return alias.column;
  }
  return std::nullopt;
}

// Spreadsheet cells may hold line breaks (Alt+Enter); target fields are one
// line. Each CRLF, CR or LF becomes one space. Returns whether any did.
bool replace_line_breaks(std::string& cell) {
  if (cell.find_first_of("\r\n") == std::string::npos) return false;
  std::string out;
  out.reserve(cell.size());
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n') continue;
    out += (cell[i] == '\r' || cell[i] == '\n') ? ' ' : cell[i];
  }
  cell = std::move(out);
  return true;
}

bool is_blank(std::string_view s) {
  for (const char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

std::unexpected<Error> csv_fail(std::string message, std::vector<RowIssue> rows = {}) {
  return std::unexpected<Error>(
      Error{ErrorCode::kInvalidCsv, std::move(message), {}, std::move(rows), 0});
}

}  // namespace

Result<TargetImport> parse_targets_csv(std::string_view csv) {
  auto parsed = parse_csv_document(csv);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  TargetImport result;
  result.warnings = std::move(parsed->warnings);
  const std::vector<CsvRow>& rows = parsed->rows;
  if (rows.empty()) return csv_fail("the file is empty");

  const CsvRow& header = rows.front();
  // column index in the file for each target field; the first matching column wins.
  std::array<std::optional<std::size_t>, kColumnCount> index_of{};
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (const auto column = column_for(header.fields[i])) {
      auto& slot = index_of[static_cast<std::size_t>(*column)];
      if (!slot) slot = i;
    }
  }
  if (!index_of[static_cast<std::size_t>(Column::kEmail)]) {
    std::string message = "the header has no email column (expected a column named Email)";
    return csv_fail(message, {RowIssue{header.line, "email", message}});
  }
  if (rows.size() == 1) return csv_fail("the file has a header but no rows");

  std::vector<TargetFields>& targets = result.targets;
  targets.reserve(rows.size() - 1);
  std::vector<RowIssue> issues;
  std::size_t issue_count = 0;
  std::unordered_map<std::string, std::size_t> first_line_of_email;
  first_line_of_email.reserve(rows.size());

  auto report = [&](std::size_t line, std::string field, std::string reason) {
    ++issue_count;
    if (issues.size() < kMaxRowIssues) {
      issues.push_back(RowIssue{line, std::move(field), std::move(reason)});
    }
  };

  const std::size_t width = header.fields.size();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    bool all_blank = true;
    for (const std::string& value : row.fields) {
      if (!is_blank(value)) {
        all_blank = false;
        break;
      }
    }
    // Spreadsheets export trailing ",,,," rows; they carry no target.
    if (all_blank) continue;
    if (row.fields.size() != width) {
      report(row.line, {},
             "has " + std::to_string(row.fields.size()) +
                 (row.fields.size() == 1 ? " field" : " fields") + ", the header has " +
                 std::to_string(width));
      continue;
    }

    TargetFields fields;
    auto take = [&](Column column, std::string& out) {
      const auto& index = index_of[static_cast<std::size_t>(column)];
      if (!index) return;
      out = row.fields[*index];
      if (replace_line_breaks(out) && result.warnings.size() < kMaxRowIssues) {
        result.warnings.push_back(
            RowIssue{row.line, std::string(kFieldNames[static_cast<std::size_t>(column)]),
                     "a line break inside the cell was replaced by a space"});
      }
    };
    take(Column::kEmail, fields.email);
    take(Column::kFirstName, fields.first_name);
    take(Column::kLastName, fields.last_name);
    take(Column::kPosition, fields.position);
    take(Column::kDepartment, fields.department);
    take(Column::kManagerEmail, fields.manager_email);
    take(Column::kLocale, fields.locale);

    auto valid = validate_target(std::move(fields));
    if (!valid) {
      report(row.line, std::move(valid.error().field), std::move(valid.error().message));
      continue;
    }
    const auto [it, inserted] = first_line_of_email.try_emplace(valid->email, row.line);
    if (!inserted) {
      report(row.line, "email",
             "duplicate of line " + std::to_string(it->second) +
                 ", where this email address was first seen");
      continue;
    }
    targets.push_back(std::move(*valid));
  }

  if (issue_count == 0) {
    if (targets.empty()) return csv_fail("the file has a header but no rows");
    return result;
  }
  std::string message =
      std::to_string(issue_count) + (issue_count == 1 ? " row is invalid" : " rows are invalid");
  if (issue_count > issues.size()) {
    message += "; the first " + std::to_string(issues.size()) + " are listed";
  }
  message += "; nothing was imported";
  return csv_fail(std::move(message), std::move(issues));
}

}  // namespace phishdrill
