#include "service/reporting/mailbox_connection.h"

#include "crypto/sodium.h"

namespace phishdrill::service {

ImapSettings imap_settings(const ReportingMailbox& mailbox, const std::string& secret,
                           const MailboxPollSettings& settings) {
  ImapSettings s;
  s.host = mailbox.host;
  s.port = mailbox.port;
  s.tls = mailbox.tls == "starttls" ? ImapTls::kStartTls : ImapTls::kImplicit;
  s.username = mailbox.username;
  if (mailbox.auth == "xoauth2") {
    s.bearer_token = secret;
  } else {
    s.password = secret;
  }
  s.folder = mailbox.folder;
  s.ca_file = settings.ca_file;
  s.verify_tls = settings.verify_tls;
  s.outbound = settings.outbound;
  return s;
}

Result<ImapMailbox> open_mailbox(const ReportingMailbox& mailbox, const std::string& secret_sealed,
                                 const SecretKey& key, const MailboxPollSettings& settings) {
  std::string secret;
  if (!secret_sealed.empty()) {
    auto opened = crypto::open(key, secret_sealed);
    if (!opened) {
      return fail(ErrorCode::kValidation,
                  "the stored password or token cannot be read with this installation's key; "
                  "enter it again",
                  "secret");
    }
    secret = *std::move(opened);
  }
  auto opened = ImapMailbox::open(imap_settings(mailbox, secret, settings));
  // The API's field for either credential is "secret".
  if (!opened && (opened.error().field == "password" || opened.error().field == "bearer_token")) {
    opened.error().field = "secret";
  }
  return opened;
}

}  // namespace phishdrill::service
