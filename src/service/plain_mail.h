// The plain emails Phishdrill writes itself (training notices, feedback to
// reporters, forwarded reports): from a sending profile's sender with its
// headers, and a simple readable HTML version of plain-text paragraphs
// (escaped; line breaks kept) with an optional button link. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/sending_profile.h"
#include "mail/outgoing_message.h"

namespace phishdrill::service {

// Fails (kValidation, field "from") when the profile's From is not a mailbox.
Result<OutgoingMessage> message_from_profile(const SendingProfile& profile);

// The paragraphs as HTML; after paragraph `link_after` comes a button to
// `link` labelled `action` (none when `link` is empty).
std::string plain_mail_html(const std::string& subject, const std::vector<std::string>& paragraphs,
                            std::size_t link_after, const std::string& link,
                            const std::string& action);

// Plain text split into paragraphs at blank lines (each trimmed; empty ones dropped).
std::vector<std::string> paragraphs_of(const std::string& text);

}  // namespace phishdrill::service
