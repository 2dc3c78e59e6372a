// An email template: the message a simulation sends, with GoPhish-compatible
// variables (see message_template.h). Pure data plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/template_scale.h"
#include "core/text_rules.h"

namespace phishdrill {

struct Attachment {
  std::string name;
  std::string content_type;
  std::string content_base64;
};

// A cue in the message that should have raised suspicion, shown on the
// teaching page: where it is, the exact text to highlight, and why it matters.
struct RedFlag {
  std::string part;  // "subject", "from", "body" or "link"
  std::string text;  // text to highlight in that part ("" = the part as a whole)
  std::string explanation;
  bool operator==(const RedFlag&) const = default;
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
  std::vector<RedFlag> red_flags;
  TemplateScale phish_scale;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Checks every field: name (1-200 chars), subject required, html or text
// required, bodies valid UTF-8 and compilable as templates (no expression
// other than the known variables), from a valid mailbox when set, headers,
// attachments (name 1-255 chars without path separators, content type
// "type/subtype", base64 content, at most 20; an HTML attachment compiles as
// a template: see is_template_attachment), red flags (at most 20; part one
// of subject/from/body/link; text up to 500 and explanation 1-1000 chars).
// Trims name.
Result<void> validate_email_template(EmailTemplate& tmpl);

// An HTML attachment (text/html) is a template too, as in GoPhish: its
// variables are filled for each person, so the file carries their own link.
bool is_template_attachment(const Attachment& attachment);

}  // namespace phishdrill
