// Import of targets from CSV with forgiving header matching (GoPhish-compatible:
// "First Name", "first_name", "Email", "E-mail", "Email Address", "Position",
// "Title", "Job Title", "Department", "Dept", "Manager", "Manager Email",
// "Locale", "Language"; case-insensitive, ignoring spaces, '_' and '-'; and
// the common German, Dutch, French and Spanish names: "Vorname", "Nachname",
// "Abteilung", "Voornaam", "Achternaam", "Afdeling", "Prenom", "Nom",
// "Courriel", "Nombre", "Apellidos", "Correo", "Departamento" ...).
// Unknown columns are ignored. The file is read as spreadsheets write it (see
// csv.h); a line break inside a cell becomes a space, with a warning. Pure;
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/target.h"

namespace phishdrill {

// All-or-nothing: on success every row became a valid target; otherwise the
// error is kInvalidCsv with one RowIssue per bad row (physical line, field,
// reason): invalid email, ragged row (wrong number of fields), duplicate email
// ("duplicate of line N"), over-long or control characters in a field. A
// missing email column, an empty file or a header without rows are kInvalidCsv
// with a message (the missing column as one RowIssue for the header line).
// At most 1000 RowIssues are reported (message says how many).
struct TargetImport {
  std::vector<TargetFields> targets;
  std::vector<RowIssue> warnings;  // what was guessed or changed, with the line and field
};

Result<TargetImport> parse_targets_csv(std::string_view csv);

}  // namespace phishdrill
