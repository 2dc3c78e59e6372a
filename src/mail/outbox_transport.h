// OutboxTransport: MailTransport that writes each message as a .eml file
// under a directory instead of sending it (the demo's default). The file name
// derives from the Message-ID, and files are written atomically (temporary
// file, fsync, rename), so re-sending the same message after a crash replaces
// the same file instead of adding a duplicate. Not thread-safe per instance;
// several instances may share a directory.
#pragma once

#include <string>

#include "mail/mail_transport.h"

namespace phishdrill {

class OutboxTransport final : public MailTransport {
 public:
  explicit OutboxTransport(std::string directory);
  SendOutcome send(std::string_view envelope_from, std::string_view recipient,
                   std::string_view message_id, std::string_view mime) override;

 private:
  std::string directory_;
};

}  // namespace phishdrill
