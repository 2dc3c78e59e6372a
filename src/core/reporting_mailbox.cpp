#include "core/reporting_mailbox.h"

#include "core/idna.h"
#include "core/text_rules.h"

namespace phishdrill {
namespace {

// IMAP names travel as quoted strings; non-ASCII needs modified UTF-7,
// which the client does not write, so they are refused up front.
Result<void> check_imap_name(std::string_view value, const char* field, bool required) {
  PD_TRY(check_line(value, field, 200, required));
  if (!is_ascii(value) || value.find('"') != std::string_view::npos ||
      value.find('\\') != std::string_view::npos) {
    return fail(ErrorCode::kValidation,
                std::string(field) + " must be plain ASCII without quotes or backslashes", field);
  }
  return {};
}

Result<void> check_choice(std::string_view value, std::initializer_list<std::string_view> choices,
                          const char* field, const char* message) {
  for (const auto choice : choices) {
    if (value == choice) return {};
  }
  return fail(ErrorCode::kValidation, message, field);
}

}  // namespace

Result<void> validate_mailbox(const ReportingMailbox& m) {
  PD_TRY(check_line(m.name, "name", 100, true));
  PD_TRY(check_imap_name(m.host, "host", true));
  if (m.host.find_first_of(" /:@") != std::string::npos) {
    return fail(ErrorCode::kValidation, "host must be a host name or address, without a port",
                "host");
  }
  if (m.port < 1 || m.port > 65535) {
    return fail(ErrorCode::kValidation, "port must be between 1 and 65535", "port");
  }
  PD_TRY(check_choice(m.tls, {"implicit", "starttls"}, "tls",
                      "tls must be implicit (IMAPS) or starttls"));
  PD_TRY(check_imap_name(m.username, "username", true));
  PD_TRY(check_choice(m.auth, {"password", "xoauth2"}, "auth", "auth must be password or xoauth2"));
  PD_TRY(check_imap_name(m.folder, "folder", true));
  PD_TRY(check_choice(m.after, {"flag", "move", "delete"}, "after",
                      "after must be flag, move or delete"));
  PD_TRY(check_imap_name(m.done_folder, "done_folder", m.after == "move"));
  if (m.poll_seconds < 15 || m.poll_seconds > 86400) {
    return fail(ErrorCode::kValidation, "poll_seconds must be between 15 and 86400",
                "poll_seconds");
  }
  return {};
}

}  // namespace phishdrill
