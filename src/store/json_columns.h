// Lists stored as JSON text columns (custom headers, attachments, names),
// the same text in every store adapter (so `store copy` moves it as it is).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/phish_scale.h"
#include "core/report_feedback.h"
#include "core/template_scale.h"
#include "core/text_rules.h"
#include "store/library_repository.h"

namespace phishdrill::json_columns {

std::string headers_to_json(const std::vector<HeaderField>& headers);
std::vector<HeaderField> headers_from_json(const std::string& text);
std::string attachments_to_json(const std::vector<Attachment>& attachments);
std::vector<Attachment> attachments_from_json(const std::string& text);
std::string red_flags_to_json(const std::vector<RedFlag>& flags);
std::vector<RedFlag> red_flags_from_json(const std::string& text);
std::string strings_to_json(const std::vector<std::string>& strings);
std::vector<std::string> strings_from_json(const std::string& text);
// The five feedback texts as {"simulation": {"subject", "body"}, ...}; a
// kind missing from the JSON keeps what `into` held (the shipped text).
std::string feedback_texts_to_json(const ReportFeedbackSettings& settings);
void feedback_texts_from_json(const std::string& text, ReportFeedbackSettings& into);

// Premise ratings as {"workplace_process": 6, ...}; a missing element is 0.
std::string premise_to_json(const PremiseRatings& ratings);
PremiseRatings premise_from_json(const std::string& text);
// A template's Phish Scale settings as {"category", "library_slug", "cues":
// [{"type", "where"}], "dismissed": [...]}; "{}" reads as empty settings.
std::string template_scale_to_json(const TemplateScale& scale);
TemplateScale template_scale_from_json(const std::string& text);
// An imported simulation's files as {"<path>": "<text>", ...}.
std::string files_to_json(const SimulationFileMap& files);
SimulationFileMap files_from_json(const std::string& text);

}  // namespace phishdrill::json_columns
