// Turns a raw RFC 5322 message (an .eml file) into the parts of an email
// template: subject, From, HTML and text bodies, and attachments. Optionally
// points every hyperlink of the HTML body at the click URL variable {{.URL}}.
// Uses GMime for MIME and gumbo for HTML. Thread-safe after gmime_init().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct ImportedAttachment {
  std::string name;
  std::string content_type;
  std::string content_base64;  // standard base64, no line breaks
};

struct ImportedMessage {
  std::string subject;  // decoded (RFC 2047) UTF-8
  std::string from;     // decoded, "Name <addr>" or "addr"
  std::string html;     // first text/html part, decoded to UTF-8 ("" if none)
  std::string text;     // first text/plain part, decoded to UTF-8 ("" if none)
  // Parts with a filename or attachment disposition, and inline images the
  // HTML points at (named by their Content-ID, so "cid:" references still match).
  std::vector<ImportedAttachment> attachments;
  std::vector<std::string> removed;  // active content taken out of the HTML (html_sanitizer.h)
};

// Fails with kValidation (field "content") when the input is empty, is not a
// parseable message, has neither an HTML nor a text body, or has a body in
// UTF-7. Active content (scripts, event handlers, javascript: links...) is
// removed from the HTML and listed in `removed`. When
// `convert_links` is true, every <a href> in the HTML (except mailto: and #
// anchors) becomes href="{{.URL}}"; the rest of the document is preserved.
// Any "{{" in the imported bodies that is not a valid template expression is
// neutralised (written as "{ {") so the result always compiles as a template.
Result<ImportedMessage> import_eml(std::string_view raw, bool convert_links);

// Initialises GMime once per process (idempotent, thread-safe).
void gmime_init();

}  // namespace phishdrill
