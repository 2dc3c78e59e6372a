#include "core/email_template.h"

#include <fmt/format.h>

#include "core/ascii.h"
#include "core/base64.h"
#include "core/email_address.h"
#include "core/message_template.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

bool is_base64(std::string_view text) {
  std::size_t padding = 0;
  for (const char c : text) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '=') {
      ++padding;
    } else if (padding > 0 || !(alnum || c == '+' || c == '/')) {
      return false;
    }
  }
  return padding <= 2 && text.size() % 4 == 0;
}

bool is_content_type(std::string_view type) {
  const auto slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
  for (const char c : type) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '-' || c == '+' || c == '.';
    if (!ok) return false;
  }
  return type.size() <= 127;
}

Result<void> check_template_text(std::string_view text, std::string_view field) {
  if (!is_valid_utf8(text)) {
    return fail(ErrorCode::kValidation, fmt::format("{} is not valid UTF-8", field),
                std::string(field));
  }
  if (auto compiled = CompiledTemplate::compile(text, field); !compiled) {
    return std::unexpected(compiled.error());
  }
  return {};
}

Result<void> check_attachments(const std::vector<Attachment>& attachments) {
  if (attachments.size() > 20) {
    return fail(ErrorCode::kValidation, "at most 20 attachments are allowed", "attachments");
  }
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const auto& a = attachments[i];
    const std::string prefix = fmt::format("attachments[{}]", i);
    if (auto ok = check_line(a.name, prefix + ".name", 255, true); !ok) return ok;
    if (a.name.find_first_of("/\\") != std::string::npos) {
      return fail(ErrorCode::kValidation, "an attachment name may not contain / or \\",
                  prefix + ".name");
    }
    if (!is_content_type(a.content_type)) {
      return fail(ErrorCode::kValidation, "content_type must look like type/subtype",
                  prefix + ".content_type");
    }
    if (!is_base64(a.content_base64)) {
      return fail(ErrorCode::kValidation, "content must be base64", prefix + ".content");
    }
    if (is_template_attachment(a)) {
      const auto content = base64_decode(a.content_base64);
      if (!content) {
        return fail(ErrorCode::kValidation, "content must be base64", prefix + ".content");
      }
      if (auto ok = check_template_text(*content, prefix + ".content"); !ok) return ok;
    }
  }
  return {};
}

Result<void> check_red_flags(const std::vector<RedFlag>& flags) {
  if (flags.size() > 20) {
    return fail(ErrorCode::kValidation, "at most 20 red flags are allowed", "red_flags");
  }
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const auto& f = flags[i];
    const std::string prefix = fmt::format("red_flags[{}]", i);
    if (f.part != "subject" && f.part != "from" && f.part != "body" && f.part != "link") {
      return fail(ErrorCode::kValidation, "part must be subject, from, body or link",
                  prefix + ".part");
    }
    if (auto ok = check_line(f.text, prefix + ".text", 500, false); !ok) return ok;
    if (auto ok = check_line(f.explanation, prefix + ".explanation", 1000, true); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<void> validate_email_template(EmailTemplate& tmpl) {
  tmpl.name = trim(tmpl.name);
  if (auto ok = check_line(tmpl.name, "name", 200, true); !ok) return ok;
  if (auto ok = check_line(tmpl.subject, "subject", 998, true); !ok) return ok;
  if (auto ok = check_template_text(tmpl.subject, "subject"); !ok) return ok;
  if (tmpl.html.empty() && tmpl.text.empty()) {
    return fail(ErrorCode::kValidation, "a template needs an HTML or a text body", "html");
  }
  if (auto ok = check_template_text(tmpl.html, "html"); !ok) return ok;
  if (auto ok = check_template_text(tmpl.text, "text"); !ok) return ok;
  if (!trim(tmpl.from).empty()) {
    if (auto mailbox = parse_mailbox(tmpl.from, "from"); !mailbox) {
      return std::unexpected(mailbox.error());
    }
  }
  if (auto ok = check_headers(tmpl.headers, "headers"); !ok) return ok;
  for (std::size_t i = 0; i < tmpl.headers.size(); ++i) {
    if (auto ok = check_template_text(tmpl.headers[i].value, fmt::format("headers[{}].value", i));
        !ok) {
      return ok;
    }
  }
  if (auto ok = check_attachments(tmpl.attachments); !ok) return ok;
  return check_red_flags(tmpl.red_flags);
}

bool is_template_attachment(const Attachment& attachment) {
  return ascii_istarts_with(attachment.content_type, "text/html");
}

}  // namespace phishdrill
