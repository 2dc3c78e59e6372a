// Fuzzes .eml import (import_eml), with and without link conversion.
// Invariants: on success the subject, From and bodies are valid UTF-8, both
// bodies compile as message templates (as the header promises), and
// attachments carry standard base64.
#include <string_view>

#include "core/message_template.h"
#include "core/utf8.h"
#include "fuzz_input.h"
#include "mail/eml_import.h"

using phishdrill::fuzz::check;

namespace {

bool is_base64(std::string_view text) {
  return text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
             "=") == std::string_view::npos &&
         text.size() % 4 == 0;
}

void import_and_check(std::string_view raw, bool convert_links) {
  const auto message = phishdrill::import_eml(raw, convert_links);
  if (!message) {
    check(!message.error().message.empty(), "import errors have a message");
    return;
  }
  check(phishdrill::is_valid_utf8(message->subject), "subject is UTF-8");
  check(phishdrill::is_valid_utf8(message->from), "from is UTF-8");
  check(phishdrill::is_valid_utf8(message->html), "html body is UTF-8");
  check(phishdrill::is_valid_utf8(message->text), "text body is UTF-8");
  check(!message->html.empty() || !message->text.empty(), "a message has a body");
  check(phishdrill::CompiledTemplate::compile(message->html, "html").has_value(),
        "the imported html compiles as a template");
  check(phishdrill::CompiledTemplate::compile(message->text, "text").has_value(),
        "the imported text compiles as a template");
  for (const auto& attachment : message->attachments) {
    check(is_base64(attachment.content_base64), "attachments are standard base64");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  phishdrill::gmime_init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto raw = phishdrill::fuzz::as_text(data, size);
  import_and_check(raw, false);
  import_and_check(raw, true);
  return 0;
}
