// An email template: the message a simulation sends, with GoPhish-compatible
// variables (see message_template.h). Pure data plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/text_rules.h"

namespace phishdrill {

struct Attachment {
  std::string name;
  std::string content_type;
  std::string content_base64;
};

struct EmailTemplate {
  std::int64_t id = 0;
  std::string name;
  std::string subject;
  std::string html;
  std::string text;
  std::string from;  // "Name <addr>" or "addr", may be empty (profile's From is used)
  std::vector<HeaderField> headers;
  std::vector<Attachment> attachments;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Checks every field: name (1-200 chars), subject required, html or text
// required, bodies valid UTF-8 and compilable as templates (no expression
// other than the known variables), from a valid mailbox when set, headers,
// attachments (name 1-255 chars without path separators, content type
// "type/subtype", base64 content, at most 20). Trims name.
Result<void> validate_email_template(EmailTemplate& tmpl);

}  // namespace phishdrill
