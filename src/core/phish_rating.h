// A template's rating on the NIST Phish Scale (core/phish_scale.h): its cues
// (those detected in the message, core/phish_cues.h, and those its author
// confirms or adds, core/template_scale.h), the premise answers that apply,
// and the difficulty with the reasons, in words a person can check.
// For each cue type the larger of the detected and the authored count
// counts, so a cue both the program and the author see counts once; a type
// the author dismissed counts only what the author lists. Pure;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/phish_cues.h"
#include "core/phish_scale.h"
#include "core/template_scale.h"

namespace phishdrill {

// Where the premise answers come from.
enum class PremiseSource {
  kWorkspace,  // the workspace's own answers for the category
  kSuggested,  // the library's suggestion (the simulation's, else the category's)
  kDefault,    // nothing known: moderate on every element
};
std::string_view premise_source_name(PremiseSource source);

struct PremiseChoice {
  PremiseRatings ratings;
  PremiseSource source = PremiseSource::kDefault;
};

// Moderate (4) on every element: score 12, a medium premise.
PremiseRatings default_premise();

struct RatedCue {
  std::string type;
  std::string category;  // the cue type's category
  std::string where;
  bool detected = false;  // found by the program (else listed by the author)
};

struct PhishRating {
  std::vector<RatedCue> cues;  // in the scale's order
  int cue_count = 0;
  CueBand cue_band = CueBand::kFew;
  PremiseChoice premise;
  int premise_score = 0;
  PremiseBand premise_band = PremiseBand::kWeak;
  Difficulty difficulty = Difficulty::kVery;
  std::vector<std::string> reasons;
};

PhishRating rate_on_phish_scale(const std::vector<FoundCue>& detected, const TemplateScale& scale,
                                const PremiseChoice& premise);

}  // namespace phishdrill
