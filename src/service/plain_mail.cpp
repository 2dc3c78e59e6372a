#include "service/plain_mail.h"

#include <fmt/format.h>

#include "core/email_address.h"
#include "core/html_escape.h"
#include "core/text_rules.h"

namespace phishdrill::service {

Result<OutgoingMessage> message_from_profile(const SendingProfile& profile) {
  auto from = parse_mailbox(profile.from, "from");
  if (!from) return std::unexpected(from.error());
  OutgoingMessage m;
  m.from_name = from->name;
  m.from_address = from->address;
  m.headers = profile.headers;
  return m;
}

std::string plain_mail_html(const std::string& subject, const std::vector<std::string>& paragraphs,
                            std::size_t link_after, const std::string& link,
                            const std::string& action) {
  std::string html =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
      html_escape(subject) +
      "</title></head><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;"
      "line-height:1.5;color:#1f2933;max-width:600px;margin:0 auto;padding:16px\">";
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    std::string p = html_escape(paragraphs[i]);
    for (std::size_t at = p.find('\n'); at != std::string::npos; at = p.find('\n', at)) {
      p.replace(at, 1, "<br>");
    }
    html += "<p>" + p + "</p>";
    if (i == link_after && !link.empty()) {
      html += fmt::format(
          "<p><a href=\"{0}\" style=\"display:inline-block;background:#1d4ed8;color:#ffffff;"
          "padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold\">{1}</a>"
          "</p><p style=\"font-size:14px;color:#52606d\">Or copy this address into your "
          "browser: {0}</p>",
          html_escape(link), action);
    }
  }
  return html + "</body></html>";
}

std::vector<std::string> paragraphs_of(const std::string& text) {
  std::string normalised;
  for (const char c : text) {
    if (c != '\r') normalised += c;
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= normalised.size()) {
    std::size_t end = normalised.find("\n\n", start);
    if (end == std::string::npos) end = normalised.size();
    std::string paragraph = trim(std::string_view(normalised).substr(start, end - start));
    if (!paragraph.empty()) out.push_back(std::move(paragraph));
    start = end + 2;
  }
  return out;
}

}  // namespace phishdrill::service
