// TestSender: the port behind "send a test email". It sends one short message
// through a sending profile right now, with the profile's opened password,
// and reports the relay's answer (never the password). The composition root
// builds it on the mail transports; services call it outside any store
// transaction, and it may block on the network. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "core/sending_profile.h"
#include "mail/mail_transport.h"

namespace phishdrill::service {

using TestSender = std::function<SendOutcome(const SendingProfile& profile,
                                             const std::string& password, const std::string& to)>;

}  // namespace phishdrill::service
