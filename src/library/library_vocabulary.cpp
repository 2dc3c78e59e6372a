#include "library/library_vocabulary.h"

#include <algorithm>
#include <array>

namespace phishdrill {
namespace {

constexpr std::array<std::string_view, 15> kCategories = {"credential-harvesting",
                                                          "mfa",
                                                          "business-email-compromise",
                                                          "invoice-and-payment",
                                                          "gift-cards",
                                                          "hr-and-payroll",
                                                          "it-help-desk",
                                                          "delivery",
                                                          "calendar",
                                                          "qr-code",
                                                          "attachment",
                                                          "callback",
                                                          "social-media",
                                                          "seasonal",
                                                          "healthcare"};

constexpr std::array<std::string_view, 4> kChannels = {"email", "qr-code", "attachment",
                                                       "callback"};

constexpr std::array<std::string_view, 2> kLanguages = {"en", "es"};

constexpr std::array<std::string_view, 8> kAudiences = {
    "everyone", "finance", "hr", "it", "clinical", "pharmacy", "executives", "managers"};

constexpr std::array<CueType, 23> kCueTypes = {{
    {"spelling_grammar", "errors"},
    {"inconsistency", "errors"},
    {"attachment_type", "technical"},
    {"display_name_mismatch", "technical"},
    {"url_hyperlinking", "technical"},
    {"domain_spoofing", "technical"},
    {"no_branding", "visual"},
    {"logo_imitation", "visual"},
    {"unprofessional_design", "visual"},
    {"security_indicators", "visual"},
    {"legal_language", "language"},
    {"distracting_detail", "language"},
    {"requests_sensitive_info", "language"},
    {"sense_of_urgency", "language"},
    {"threatening_language", "language"},
    {"generic_greeting", "language"},
    {"lack_of_signer_details", "language"},
    {"humanitarian_appeal", "language"},
    {"too_good_to_be_true", "language"},
    {"you_are_special", "language"},
    {"limited_time_offer", "language"},
    {"mimics_business_process", "language"},
    {"poses_as_authority", "language"},
}};

}  // namespace

std::span<const std::string_view> simulation_categories() { return kCategories; }
std::span<const std::string_view> simulation_channels() { return kChannels; }
std::span<const std::string_view> simulation_languages() { return kLanguages; }
std::span<const std::string_view> simulation_audiences() { return kAudiences; }
std::span<const CueType> phish_cue_types() { return kCueTypes; }

bool is_one_of(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool is_cue_type(std::string_view name) {
  return std::any_of(kCueTypes.begin(), kCueTypes.end(),
                     [&](const CueType& cue) { return cue.name == name; });
}

bool is_premise_answer(std::string_view answer) {
  return answer == "high" || answer == "medium" || answer == "low";
}

}  // namespace phishdrill
