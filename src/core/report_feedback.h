// What reporters hear back, per workspace: an acknowledgement when their
// report is taken in ("well spotted, that was a simulation" or "thank you, we
// are looking at it") and the verdict when the team decides (clean, spam or
// threat). Each text is a subject and a plain-text body (paragraphs split by
// blank lines) with a few placeholders: {{.FirstName}}, {{.LastName}},
// {{.Subject}} (the reported message's subject) and {{.ReportedAt}} (the
// day it was reported). Anything else in {{ }} is refused, so a text can
// never run code or leak a field it was not meant to. Also where button
// reports of real mail are forwarded (the reporting mailbox's address). Pure
// data plus validation and filling; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

// The emails a report can cause.
enum class FeedbackKind {
  kSimulation,  // acknowledgement: it was one of our simulations
  kReceived,    // acknowledgement: a real message, the team will look at it
  kClean,       // verdicts
  kSpam,
  kThreat,
};

struct FeedbackText {
  std::string subject;  // one line, 1-200 characters
  std::string body;     // 1-5,000 characters
};

struct ReportFeedbackSettings {
  bool enabled = false;         // the off switch (off until a profile is chosen)
  std::int64_t profile_id = 0;  // the sending profile feedback goes out through
  // Button reports of real mail are also sent here, with the original
  // attached, for the tools that read the reporting mailbox ("" = not sent).
  std::string forward_to;
  FeedbackText simulation;
  FeedbackText received;
  FeedbackText clean;
  FeedbackText spam;
  FeedbackText threat;

  const FeedbackText& text(FeedbackKind kind) const;
  FeedbackText& text(FeedbackKind kind);
};

// The texts Phishdrill ships with; feedback off, nothing forwarded.
ReportFeedbackSettings default_report_feedback();

// Every kind, in the order above.
std::span<const FeedbackKind> feedback_kinds();

// The verdict email's kind for "clean", "spam" or "threat"; kReceived otherwise.
FeedbackKind feedback_kind_for_verdict(std::string_view verdict);
// "simulation", "received", "clean", "spam", "threat" (API field names).
const char* feedback_kind_name(FeedbackKind kind);

// Checks and tidies every field: texts trimmed, valid UTF-8, within their
// lengths, only known placeholders (field "texts.<kind>.subject" / ".body");
// forward_to a bare address or "" (field "forward_to", lower-cased);
// enabled needs a profile (field "profile_id").
Result<void> validate_report_feedback(ReportFeedbackSettings& settings);

// The values a text's placeholders are filled with.
struct FeedbackFields {
  std::string first_name;
  std::string last_name;
  std::string subject;
  std::int64_t reported_at = 0;
};

// The text with its placeholders filled (plain text; unknown placeholders,
// which validation keeps out, are left as they are). A missing first name
// reads as "there" ("Hello there,").
std::string fill_feedback_text(std::string_view text, const FeedbackFields& fields);

}  // namespace phishdrill
