#include "service/reporting/feedback_message.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "core/time_format.h"
#include "service/plain_mail.h"

namespace phishdrill::service {
namespace {

// One line: a subject may not break the header.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

std::string unreadable_paragraph(const Report& report) {
  return fmt::format(
      "We could not find the suspicious message in what you sent ({}). Next time, please "
      "forward it as an attachment (in Outlook: More actions, then Forward as attachment; in "
      "Gmail: More, then Forward as attachment), or use the Report button.",
      report.note);
}

}  // namespace

std::optional<FeedbackKind> feedback_text_for(const std::string& mail_kind, const Report& report) {
  if (mail_kind == "verdict") {
    if (report.verdict.empty()) return std::nullopt;
    return feedback_kind_for_verdict(report.verdict);
  }
  return report.status == ReportStatus::kSimulation ? FeedbackKind::kSimulation
                                                    : FeedbackKind::kReceived;
}

Result<OutgoingMessage> build_feedback_mail(const ReportPerson& person, const Report& report,
                                            const FeedbackText& text,
                                            const SendingProfile& profile) {
  auto made = message_from_profile(profile);
  if (!made) return made;
  OutgoingMessage& m = *made;
  const FeedbackFields fields{person.first_name, person.last_name, one_line(report.subject),
                              report.received_at};
  m.to_name =
      one_line(person.first_name + (person.last_name.empty() ? "" : " ") + person.last_name);
  m.to_address = person.email;
  m.subject = one_line(fill_feedback_text(text.subject, fields));
  auto paragraphs = paragraphs_of(fill_feedback_text(text.body, fields));
  if (report.status == ReportStatus::kRefused && !paragraphs.empty()) {
    // After the greeting and the thanks, before the rest.
    const std::size_t at = std::min<std::size_t>(2, paragraphs.size());
    paragraphs.insert(paragraphs.begin() + static_cast<std::ptrdiff_t>(at),
                      unreadable_paragraph(report));
  }
  for (const auto& p : paragraphs) m.text += p + "\n\n";
  m.html = plain_mail_html(m.subject, paragraphs, paragraphs.size(), "", "");
  const bool verdict = !report.verdict.empty() && report.status == ReportStatus::kTriage;
  m.headers.push_back({"Auto-Submitted", verdict ? "auto-generated" : "auto-replied"});
  m.headers.push_back({"X-Auto-Response-Suppress", "All"});
  return made;
}

Result<OutgoingMessage> build_forward_mail(const Report& report, const std::string& forward_to,
                                           const std::string& original,
                                           const SendingProfile& profile) {
  auto made = message_from_profile(profile);
  if (!made) return made;
  OutgoingMessage& m = *made;
  m.to_address = forward_to;
  const std::string subject = report.subject.empty() ? "(no subject)" : one_line(report.subject);
  m.subject = "Reported by " + report.reporter + ": " + subject;
  const std::vector<std::string> paragraphs{
      fmt::format("{} reported this message with the report button on {}.", report.reporter,
                  format_rfc3339(report.received_at)),
      fmt::format("The reported message is attached as it was received. In Phishdrill it is "
                  "report {}, in the triage inbox.",
                  report.id)};
  for (const auto& p : paragraphs) m.text += p + "\n\n";
  m.attachments.push_back({"reported-message.eml", "message/rfc822", base64_encode(original)});
  m.headers.push_back({"Auto-Submitted", "auto-generated"});
  return made;
}

}  // namespace phishdrill::service
