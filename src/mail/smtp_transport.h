// SmtpTransport: MailTransport over SMTP with libcurl — plain, STARTTLS
// (required, not opportunistic) or implicit TLS; AUTH when a username is set;
// the given EHLO name; connection reuse across sends (one easy handle kept
// open); bounded connect and total timeouts. Replies are classified: 2xx sent,
// 4xx / timeouts / connection errors temporary, 5xx permanent. Every address
// connected to passes the OutboundPolicy first (refused: permanent). When no
// SMTP reply arrived (refused, closed or silent port, TLS failure, a service
// that does not greet like SMTP) the answer is one generic "could not reach an
// SMTP server at host:port", the same for every such case, so the transport
// cannot serve as a port scanner; the details go to the server log. Text of
// the peer is returned only when it is an SMTP reply. The password never
// appears in a returned reply or a log line. Envelope addresses carry
// internationalised domains in A-labels (xn--...), which every relay takes; an
// address with a non-ASCII local part needs a relay that offers SMTPUTF8, and
// fails permanently (before the message is transferred) with a message saying
// so when it does not. Not thread-safe: one instance per sending worker.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/outbound_policy.h"
#include "core/sending_profile.h"
#include "mail/mail_transport.h"

namespace phishdrill {

struct SmtpSettings {
  std::string host;
  int port = 25;
  TlsMode tls = TlsMode::kNone;
  std::string username;
  std::string password;
  std::string helo_name = "localhost";  // EHLO name (the From domain is a good choice)
  bool verify_tls = true;               // verify the relay's certificate and host name
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{60};
  OutboundPolicy outbound{};  // which addresses the relay may resolve to
};

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings);
  ~SmtpTransport() override;
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  SendOutcome send(std::string_view envelope_from, std::string_view recipient,
                   std::string_view message_id, std::string_view mime) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace phishdrill
