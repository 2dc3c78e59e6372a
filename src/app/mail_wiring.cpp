#include "app/mail_wiring.h"

#include <algorithm>
#include <filesystem>

#include "core/email_address.h"
#include "mail/mime_composer.h"
#include "mail/outbox_transport.h"
#include "mail/smtp_transport.h"

namespace phishdrill::app {

service::TransportFactory make_transport_factory(const Config& config) {
  const std::string outbox = (std::filesystem::path(config.data_dir) / "outbox").string();
  const bool verify_tls = config.verify_tls;
  const OutboundPolicy outbound = config.outbound;
  // One SMTP exchange must end well within the lease that guards it.
  const auto timeout = std::chrono::seconds(std::max(5, config.lease_seconds / 2));
  return [outbox, verify_tls, timeout, outbound](
             const SendingProfile& profile,
             const std::string& password) -> std::unique_ptr<MailTransport> {
    if (profile.kind == TransportKind::kOutbox) return std::make_unique<OutboxTransport>(outbox);
    SmtpSettings settings;
    settings.host = profile.host;
    settings.port = profile.port;
    settings.tls = profile.tls;
    settings.username = profile.username;
    settings.password = password;
    settings.verify_tls = verify_tls;
    settings.total_timeout = timeout;
    settings.outbound = outbound;
    // EHLO with the sender's domain, as a real mail system of that domain would.
    if (auto from = parse_mailbox(profile.from, "from"); from) {
      settings.helo_name = from->address.substr(from->address.find('@') + 1);
    }
    return std::make_unique<SmtpTransport>(std::move(settings));
  };
}

service::TestSender make_test_sender(service::TransportFactory transports, const Clock& clock) {
  return [transports = std::move(transports), &clock](const SendingProfile& profile,
                                                      const std::string& password,
                                                      const std::string& to) -> SendOutcome {
    auto from = parse_mailbox(profile.from, "from");
    if (!from) return {SendOutcome::Status::kPermanent, 0, from.error().message};
    OutgoingMessage message;
    message.from_name = from->name;
    message.from_address = from->address;
    message.to_address = to;
    message.subject = "Test message for sending profile \"" + profile.name + "\"";
    message.text =
        "This message checks that the sending profile \"" + profile.name +
        "\" can deliver mail.\nIf you can read it, the relay accepted and delivered it.\n";
    message.headers = profile.headers;
    message.message_id = new_message_id(from->address);
    message.date = clock.now();
    auto mime = compose_mime(message);
    if (!mime) return {SendOutcome::Status::kPermanent, 0, mime.error().message};
    auto transport = transports(profile, password);
    return transport->send(message.from_address, to, message.message_id, *mime);
  };
}

}  // namespace phishdrill::app
