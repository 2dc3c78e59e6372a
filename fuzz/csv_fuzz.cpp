// Fuzzes CSV parsing (parse_csv) and the target import built on it
// (parse_targets_csv). Invariants: parsed fields are valid UTF-8 and records
// start on increasing lines within the text; every imported target passes
// validate_target unchanged and emails are unique.
#include <set>

#include "core/csv.h"
#include "core/target_csv.h"
#include "core/utf8.h"
#include "fuzz_input.h"

using phishdrill::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = phishdrill::fuzz::as_text(data, size);
  std::size_t lines = 1;  // physical lines: LF, CRLF or a lone CR ends one
  for (std::size_t i = 0; i < text.size(); ++i) {
    lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
  }

  if (const auto rows = phishdrill::parse_csv(text)) {
    std::size_t previous = 0;
    for (const auto& row : *rows) {
      check(row.line > previous && row.line <= lines, "csv rows start on increasing lines");
      previous = row.line;
      for (const auto& field : row.fields) {
        check(phishdrill::is_valid_utf8(field), "csv fields are valid UTF-8");
      }
    }
  } else {
    check(!rows.error().message.empty(), "csv errors have a message");
  }

  if (const auto targets = phishdrill::parse_targets_csv(text)) {
    std::set<std::string> emails;
    for (const auto& target : targets->targets) {
      const auto again = phishdrill::validate_target(target);
      check(again.has_value(), "imported targets are valid");
      check(again->email == target.email, "imported targets are normalised");
      check(emails.insert(target.email).second, "imported emails are unique");
    }
  } else {
    check(!targets.error().message.empty(), "target import errors have a message");
    check(targets.error().rows.size() <= 1000, "at most 1000 row issues");
  }
  return 0;
}
