// MailTransport: the port through which rendered messages leave Phishdrill.
// Implementations: SmtpTransport (libcurl) and OutboxTransport (files).
// A transport instance is used by one thread at a time (not thread-safe);
// it may keep a connection open between sends and reuse it.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

struct SendOutcome {
  enum class Status {
    kSent,       // accepted by the relay (2xx) or written to the outbox
    kTemporary,  // 4xx, timeout, connection failure: retry later
    kPermanent,  // 5xx or a configuration error: do not retry
  };
  Status status = Status::kSent;
  int smtp_code = 0;  // last SMTP reply code when known, else 0
  std::string reply;  // the relay's reply text or the error, for operators (no secrets)
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Sends `mime` (complete RFC 5322 bytes, CRLF) from `envelope_from` to one
  // `recipient`. `message_id` lets idempotent transports dedupe.
  virtual SendOutcome send(std::string_view envelope_from, std::string_view recipient,
                           std::string_view message_id, std::string_view mime) = 0;
};

}  // namespace phishdrill
