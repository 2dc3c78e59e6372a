#include "core/phish_rating.h"

#include <fmt/format.h>

#include <algorithm>

namespace phishdrill {
namespace {

std::vector<RatedCue> merged_cues(const std::vector<FoundCue>& detected,
                                  const TemplateScale& scale) {
  std::vector<RatedCue> cues;
  for (const CueType& type : phish_cue_types()) {
    std::size_t authored = 0;
    for (const AuthoredCue& c : scale.cues) {
      if (c.type != type.name) continue;
      cues.push_back({c.type, std::string(type.category), c.where, false});
      ++authored;
    }
    if (std::ranges::find(scale.dismissed, type.name) != scale.dismissed.end()) continue;
    std::size_t seen = 0;
    for (const FoundCue& c : detected) {
      if (c.type != type.name || ++seen <= authored) continue;
      cues.push_back({c.type, std::string(type.category), c.where, true});
    }
  }
  return cues;
}

std::string_view band_range(CueBand band) {
  switch (band) {
    case CueBand::kFew:
      return "few (8 or fewer)";
    case CueBand::kSome:
      return "some (9 to 14)";
    case CueBand::kMany:
      return "many (15 or more)";
  }
  return "";
}

std::string_view band_range(PremiseBand band) {
  switch (band) {
    case PremiseBand::kWeak:
      return "weak (10 or less)";
    case PremiseBand::kMedium:
      return "medium (11 to 17)";
    case PremiseBand::kStrong:
      return "strong (18 or more)";
  }
  return "";
}

std::string_view premise_from(PremiseSource source) {
  switch (source) {
    case PremiseSource::kWorkspace:
      return "this workspace's answers";
    case PremiseSource::kSuggested:
      return "the library's suggested answers";
    case PremiseSource::kDefault:
      return "no answers yet, so moderate on every question";
  }
  return "";
}

std::vector<std::string> reasons_for(const PhishRating& r) {
  const auto detected = std::ranges::count_if(r.cues, [](const RatedCue& c) { return c.detected; });
  const auto authored = static_cast<long>(r.cues.size()) - detected;
  return {
      fmt::format("{} cue{} ({} detected, {} from the author): {}", r.cue_count,
                  r.cue_count == 1 ? "" : "s", detected, authored, band_range(r.cue_band)),
      fmt::format("Premise alignment {} from {}: {}", r.premise_score,
                  premise_from(r.premise.source), band_range(r.premise_band)),
      fmt::format("{} cues with a {} premise: {}", cue_band_name(r.cue_band),
                  premise_band_name(r.premise_band), difficulty_label(r.difficulty)),
  };
}

}  // namespace

std::string_view premise_source_name(PremiseSource source) {
  switch (source) {
    case PremiseSource::kWorkspace:
      return "workspace";
    case PremiseSource::kSuggested:
      return "suggested";
    case PremiseSource::kDefault:
      return "default";
  }
  return "default";
}

PremiseRatings default_premise() {
  PremiseRatings ratings;
  ratings.ratings.fill(4);
  return ratings;
}

PhishRating rate_on_phish_scale(const std::vector<FoundCue>& detected, const TemplateScale& scale,
                                const PremiseChoice& premise) {
  PhishRating r;
  r.cues = merged_cues(detected, scale);
  r.cue_count = static_cast<int>(r.cues.size());
  r.cue_band = cue_band(r.cue_count);
  r.premise = premise;
  r.premise_score = premise_score(premise.ratings);
  r.premise_band = premise_band(r.premise_score);
  r.difficulty = detection_difficulty(r.cue_band, r.premise_band);
  r.reasons = reasons_for(r);
  return r;
}

}  // namespace phishdrill
