#include "core/phish_scale.h"

#include <algorithm>

namespace phishdrill {
namespace {

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

constexpr std::array<PremiseElement, kPremiseElementCount> kElements = {
    PremiseElement::kWorkplaceProcess, PremiseElement::kWorkplaceRelevance,
    PremiseElement::kExternalEvents, PremiseElement::kConsequences,
    PremiseElement::kTrainingExposure};

constexpr std::array<std::string_view, kPremiseElementCount> kElementNames = {
    "workplace_process", "workplace_relevance", "external_events", "consequences",
    "training_exposure"};

constexpr std::array<std::string_view, 5> kApplicability = {"none", "low", "moderate",
                                                            "significant", "extreme"};

}  // namespace

std::span<const CueType> phish_cue_types() { return kCueTypes; }

bool is_cue_type(std::string_view name) { return !cue_category(name).empty(); }

std::string_view cue_category(std::string_view name) {
  const auto* it = std::find_if(kCueTypes.begin(), kCueTypes.end(),
                                [&](const CueType& cue) { return cue.name == name; });
  return it == kCueTypes.end() ? std::string_view{} : it->category;
}

CueBand cue_band(int cue_count) {
  if (cue_count >= 15) return CueBand::kMany;
  if (cue_count >= 9) return CueBand::kSome;
  return CueBand::kFew;
}

std::string_view cue_band_name(CueBand band) {
  switch (band) {
    case CueBand::kFew:
      return "few";
    case CueBand::kSome:
      return "some";
    case CueBand::kMany:
      return "many";
  }
  return "few";
}

std::span<const PremiseElement> premise_elements() { return kElements; }

std::string_view premise_element_name(PremiseElement element) {
  return kElementNames[static_cast<std::size_t>(element)];
}

std::optional<PremiseElement> parse_premise_element(std::string_view name) {
  for (std::size_t i = 0; i < kElementNames.size(); ++i) {
    if (kElementNames[i] == name) return kElements[i];
  }
  return std::nullopt;
}

std::optional<int> parse_applicability(std::string_view word) {
  for (std::size_t i = 0; i < kApplicability.size(); ++i) {
    if (kApplicability[i] == word) return static_cast<int>(i) * 2;
  }
  return std::nullopt;
}

std::string_view applicability_name(int rating) {
  const int index = std::clamp(rating, 0, 8) / 2;
  return kApplicability[static_cast<std::size_t>(index)];
}

int premise_score(const PremiseRatings& r) {
  return r[PremiseElement::kWorkplaceProcess] + r[PremiseElement::kWorkplaceRelevance] +
         r[PremiseElement::kExternalEvents] + r[PremiseElement::kConsequences] -
         r[PremiseElement::kTrainingExposure];
}

PremiseBand premise_band(int score) {
  if (score >= 18) return PremiseBand::kStrong;
  if (score >= 11) return PremiseBand::kMedium;
  return PremiseBand::kWeak;
}

std::string_view premise_band_name(PremiseBand band) {
  switch (band) {
    case PremiseBand::kWeak:
      return "weak";
    case PremiseBand::kMedium:
      return "medium";
    case PremiseBand::kStrong:
      return "strong";
  }
  return "weak";
}

Difficulty detection_difficulty(CueBand cues, PremiseBand premise) {
  using enum Difficulty;
  // Rows: few, some, many; columns: strong, medium, weak.
  static constexpr Difficulty kTable[3][3] = {
      {kVery, kVery, kModerately},
      {kVery, kModerately, kModeratelyToLeast},
      {kModerately, kModerately, kLeast},
  };
  const auto column = premise == PremiseBand::kStrong ? 0 : premise == PremiseBand::kMedium ? 1 : 2;
  return kTable[static_cast<int>(cues)][column];
}

std::string_view difficulty_name(Difficulty d) {
  switch (d) {
    case Difficulty::kVery:
      return "very";
    case Difficulty::kModerately:
      return "moderately";
    case Difficulty::kModeratelyToLeast:
      return "moderately_to_least";
    case Difficulty::kLeast:
      return "least";
  }
  return "very";
}

std::string_view difficulty_label(Difficulty d) {
  switch (d) {
    case Difficulty::kVery:
      return "Very difficult";
    case Difficulty::kModerately:
      return "Moderately difficult";
    case Difficulty::kModeratelyToLeast:
      return "Moderately to least difficult";
    case Difficulty::kLeast:
      return "Least difficult";
  }
  return "Very difficult";
}

std::optional<Difficulty> parse_difficulty(std::string_view name) {
  for (auto d : {Difficulty::kVery, Difficulty::kModerately, Difficulty::kModeratelyToLeast,
                 Difficulty::kLeast}) {
    if (difficulty_name(d) == name) return d;
  }
  return std::nullopt;
}

}  // namespace phishdrill
