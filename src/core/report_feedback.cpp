#include "core/report_feedback.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/email_address.h"
#include "core/placeholders.h"
#include "core/text_rules.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxSubjectChars = 200;
constexpr std::size_t kMaxBodyChars = 5000;

constexpr std::array<FeedbackKind, 5> kKinds = {FeedbackKind::kSimulation, FeedbackKind::kReceived,
                                                FeedbackKind::kClean, FeedbackKind::kSpam,
                                                FeedbackKind::kThreat};

constexpr std::array<std::string_view, 4> kPlaceholders = {"FirstName", "LastName", "Subject",
                                                           "ReportedAt"};

bool known_placeholder(std::string_view name) {
  for (const auto known : kPlaceholders) {
    if (name == known) return true;
  }
  return false;
}

Result<void> check_placeholders(std::string_view text, const std::string& field) {
  const auto names = placeholder_names(text);
  if (names && std::all_of(names->begin(), names->end(), known_placeholder)) return {};
  return fail(ErrorCode::kValidation,
              field +
                  ": only {{.FirstName}}, {{.LastName}}, {{.Subject}} and {{.ReportedAt}} may "
                  "appear between {{ and }}",
              field);
}

Result<void> check_text(FeedbackText& text, const std::string& kind) {
  text.subject = trim(text.subject);
  text.body = trim(text.body);
  PD_TRY(check_line(text.subject, kind + ".subject", kMaxSubjectChars, true));
  PD_TRY(check_placeholders(text.subject, kind + ".subject"));
  const std::string body_field = kind + ".body";
  if (text.body.empty())
    return fail(ErrorCode::kValidation, body_field + " is required", body_field);
  if (!is_valid_utf8(text.body)) {
    return fail(ErrorCode::kValidation, body_field + " is not valid UTF-8", body_field);
  }
  if (utf8_length(text.body) > kMaxBodyChars) {
    return fail(ErrorCode::kValidation, body_field + " must be at most 5000 characters",
                body_field);
  }
  return check_placeholders(text.body, body_field);
}

std::string value_of(std::string_view name, const FeedbackFields& fields) {
  if (name == "FirstName") return fields.first_name.empty() ? "there" : fields.first_name;
  if (name == "LastName") return fields.last_name;
  if (name == "Subject") return fields.subject.empty() ? "(no subject)" : fields.subject;
  return fields.reported_at > 0 ? format_long_date(fields.reported_at) : "recently";
}

}  // namespace

const FeedbackText& ReportFeedbackSettings::text(FeedbackKind kind) const {
  switch (kind) {
    case FeedbackKind::kSimulation:
      return simulation;
    case FeedbackKind::kReceived:
      return received;
    case FeedbackKind::kClean:
      return clean;
    case FeedbackKind::kSpam:
      return spam;
    case FeedbackKind::kThreat:
      break;
  }
  return threat;
}

FeedbackText& ReportFeedbackSettings::text(FeedbackKind kind) {
  return const_cast<FeedbackText&>(std::as_const(*this).text(kind));
}

ReportFeedbackSettings default_report_feedback() {
  ReportFeedbackSettings s;
  s.simulation = {
      "Well spotted: that was a practice phishing email",
      "Hello {{.FirstName}},\n\n"
      "Thank you for reporting \"{{.Subject}}\". It was a practice phishing email sent by your "
      "security team, and reporting it was exactly the right thing to do.\n\n"
      "When a real attack arrives, an early report like yours lets the team warn others and "
      "block it before anyone is harmed. Keep reporting anything that feels wrong.\n\n"
      "Your security team"};
  s.received = {
      "Thank you for your report: we are looking at it",
      "Hello {{.FirstName}},\n\n"
      "Thank you for reporting \"{{.Subject}}\" on {{.ReportedAt}}. Your security team will "
      "look at it and tell you what they find.\n\n"
      "Until then, please don't click its links, open its attachments or reply to it. If you "
      "already did, tell your security team or IT help desk now: acting quickly makes a real "
      "difference.\n\n"
      "Your security team"};
  s.clean = {
      "Your report: \"{{.Subject}}\" is safe",
      "Hello {{.FirstName}},\n\n"
      "Your security team has checked the message you reported on {{.ReportedAt}}, "
      "\"{{.Subject}}\". It is genuine and safe to use.\n\n"
      "Checking was still the right call. Thank you for taking care, and please keep reporting "
      "anything that looks wrong.\n\n"
      "Your security team"};
  s.spam = {
      "Your report: \"{{.Subject}}\" is unwanted mail",
      "Hello {{.FirstName}},\n\n"
      "Your security team has checked the message you reported on {{.ReportedAt}}, "
      "\"{{.Subject}}\". It is unwanted advertising rather than an attack, and you can delete "
      "it.\n\n"
      "Thank you for reporting it. Reports like yours help the team tune the mail filters.\n\n"
      "Your security team"};
  s.threat = {
      "Your report: \"{{.Subject}}\" was a real attack",
      "Hello {{.FirstName}},\n\n"
      "Your security team has confirmed that the message you reported on {{.ReportedAt}}, "
      "\"{{.Subject}}\", was a real phishing attack. Thank you: your report helped protect "
      "everyone.\n\n"
      "Please delete it. If you clicked a link, opened an attachment, entered a password or "
      "replied, tell your security team or IT help desk today, and change any password you "
      "entered.\n\n"
      "Your security team"};
  return s;
}

FeedbackKind feedback_kind_for_verdict(std::string_view verdict) {
  if (verdict == "clean") return FeedbackKind::kClean;
  if (verdict == "spam") return FeedbackKind::kSpam;
  if (verdict == "threat") return FeedbackKind::kThreat;
  return FeedbackKind::kReceived;
}

std::span<const FeedbackKind> feedback_kinds() { return kKinds; }

const char* feedback_kind_name(FeedbackKind kind) {
  switch (kind) {
    case FeedbackKind::kSimulation:
      return "simulation";
    case FeedbackKind::kClean:
      return "clean";
    case FeedbackKind::kSpam:
      return "spam";
    case FeedbackKind::kThreat:
      return "threat";
    case FeedbackKind::kReceived:
      break;
  }
  return "received";
}

Result<void> validate_report_feedback(ReportFeedbackSettings& s) {
  for (const auto kind : kKinds) {
    PD_TRY(check_text(s.text(kind), std::string("texts.") + feedback_kind_name(kind)));
  }
  s.forward_to = trim(s.forward_to);
  if (!s.forward_to.empty()) {
    auto mailbox = parse_mailbox(s.forward_to, "forward_to");
    if (!mailbox) return std::unexpected(mailbox.error());
    if (!mailbox->name.empty()) {
      return fail(ErrorCode::kValidation, "must be an address without a name", "forward_to");
    }
    s.forward_to = mailbox->address;
  }
  if (s.profile_id < 0) return fail(ErrorCode::kValidation, "must be a profile id", "profile_id");
  if (s.enabled && s.profile_id == 0) {
    return fail(ErrorCode::kValidation, "choose the sending profile feedback goes out through",
                "profile_id");
  }
  if (!s.forward_to.empty() && s.profile_id == 0) {
    return fail(ErrorCode::kValidation,
                "choose the sending profile forwarded reports go out through", "profile_id");
  }
  return {};
}

std::string fill_feedback_text(std::string_view text, const FeedbackFields& fields) {
  return fill_placeholders(text, [&](std::string_view name) -> std::optional<std::string> {
    if (!known_placeholder(name)) return std::nullopt;
    return value_of(name, fields);
  });
}

}  // namespace phishdrill
