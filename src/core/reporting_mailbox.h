// A reporting mailbox: where staff send suspicious mail, read over IMAP on a
// schedule. Its secret (a password, or an OAuth2 bearer token for XOAUTH2)
// is sealed by the service before it reaches a store. Plain data and its
// validation; pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace phishdrill {

struct ReportingMailbox {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string name;
  std::string host;
  int port = 993;
  std::string tls = "implicit";  // "implicit" (IMAPS) or "starttls"
  std::string username;
  std::string auth = "password";  // "password" or "xoauth2"
  bool has_secret = false;        // read side: a password or token is stored
  std::string folder = "INBOX";
  // After a message is processed: "flag" (keyword $PhishdrillDone and \Seen),
  // "move" (to done_folder) or "delete" (only when chosen explicitly).
  std::string after = "flag";
  std::string done_folder;
  int poll_seconds = 60;
  bool enabled = true;
  std::int64_t last_polled_at = 0;
  std::string last_error;  // of the last poll ("" when it went well)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// kValidation naming the field: empty or over-long name/host/username/folder,
// port outside 1..65535, unknown tls/auth/after, "move" without done_folder,
// poll_seconds outside 15..86400, control characters or non-ASCII in IMAP
// names.
Result<void> validate_mailbox(const ReportingMailbox& mailbox);

}  // namespace phishdrill
