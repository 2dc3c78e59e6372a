// Log text: makes text safe inside one-line `key=value` log records, so that
// nothing a client sends (a path, an email, a library's error message) can
// end a record, forge another one, forge a field or steer a terminal.
//   escape_controls(): every C0 control, DEL and C1 control (raw or UTF-8
//     encoded) becomes \xNN; everything else is kept. The logger applies it
//     to every record (app/logging.h), so no call site can forget it.
//   log_value(): a field value as it must follow `key=`: bare when it holds
//     only characters that cannot end or forge a field, otherwise quoted
//     ("…", with `"` and `\` escaped by a backslash and controls as \xNN).
//     Call sites wrap every value that comes from outside in it.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

std::string escape_controls(std::string_view text);

std::string log_value(std::string_view value);

}  // namespace phishdrill
