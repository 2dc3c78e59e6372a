// MailTransports: one mail worker thread's open transports (one connection
// per sending profile, reused between messages and replaced when the profile
// changes) and the per-profile rate limits, which all threads of all nodes
// share (service/send_rate.h). send() composes the message's MIME (its
// Message-ID and date already set), waits for the rate while keeping the
// lease alive, and hands it to the profile's transport. One per thread; not
// thread-safe (the SendRate is).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/lease.h"
#include "core/sending_profile.h"
#include "mail/mail_transport.h"
#include "service/send_rate.h"

namespace phishdrill::service {

// Creates the transport for a profile (with its opened password); app/ picks
// SMTP or the outbox.
using TransportFactory =
    std::function<std::unique_ptr<MailTransport>(const SendingProfile&, const std::string&)>;

class MailTransports {
 public:
  MailTransports(const TransportFactory& factory, SendRate& rate)
      : factory_(factory), rate_(rate) {}

  // Waits for the profile's rate limit, keeping the lease alive while it
  // waits (and, while the store cannot be asked, asking again each second).
  // False when the worker stops meanwhile.
  bool wait_for_rate(const SendingProfile& profile, Lease& lease);
  SendOutcome send(const SendingProfile& profile, const std::string& password,
                   std::string_view from, std::string_view to, std::string_view message_id,
                   std::string_view mime);

 private:
  struct Slot {
    std::unique_ptr<MailTransport> transport;
    std::int64_t updated_at = 0;
  };
  MailTransport& for_profile(const SendingProfile& profile, const std::string& password);

  const TransportFactory& factory_;
  SendRate& rate_;
  std::map<std::int64_t, Slot> slots_;
};

}  // namespace phishdrill::service
