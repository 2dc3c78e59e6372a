// Which cluster a reported message joins: reports of one message sent to
// many people share its sender and subject (a Message-ID differs per copy
// when an attacker sends one by one), so the fingerprint is a digest of the
// sender's address and the subject without reply/forward prefixes, case or
// spacing. A message with neither falls back to its Message-ID, then to its
// text. Pure.
#pragma once

#include <string>

#include "core/reported_message.h"

namespace phishdrill::service {

std::string report_fingerprint(const ReportedMessage& message);

// The subject as clusters compare it: "RE: Fwd:  Invoice  42" -> "invoice 42".
std::string normalised_subject(std::string_view subject);

}  // namespace phishdrill::service
