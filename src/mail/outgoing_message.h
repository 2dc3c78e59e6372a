// OutgoingMessage: one fully rendered simulated email, ready to be composed
// into MIME and handed to a transport. Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/text_rules.h"

namespace phishdrill {

struct OutgoingMessage {
  std::string from_name;                // display name, UTF-8, may be empty
  std::string from_address;             // addr-spec; also the envelope sender
  std::string to_name;                  // display name, UTF-8, may be empty
  std::string to_address;               // addr-spec; the envelope recipient
  std::string subject;                  // UTF-8, single line
  std::string html;                     // may be empty
  std::string text;                     // may be empty (but not both)
  std::vector<HeaderField> headers;     // custom headers (profile's, then template's)
  std::vector<Attachment> attachments;  // base64 content; images referenced as cid:NAME are inline
  std::string message_id;               // without angle brackets, e.g. "3f9a...@mail.example.com"
  std::int64_t date = 0;                // Unix seconds, UTC
};

}  // namespace phishdrill
