// Rating templates and library simulations on the NIST Phish Scale in one
// workspace (core/phish_rating.h): the message read as a person sees it
// (mail/html_reading.h), the cues a program can see (core/phish_cues.h),
// the author's own, and the premise answers that apply, first found of:
//  1. the workspace's answers for the template's category;
//  2. the library's suggestion: the simulation's own answers when the
//     template came from one, else the category's (each element the median
//     of its simulations', rounded down to the scale's steps);
//  3. the workspace's general answers (category "");
//  4. moderate on every element (core/phish_rating.h default_premise).
// And what the workspace's people did with each template
// (core/observed_difficulty.h). Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/error.h"
#include "core/observed_difficulty.h"
#include "core/phish_rating.h"
#include "library/simulation_library.h"
#include "service/library/use_simulation.h"
#include "store/store.h"

namespace phishdrill::service {

// Spell checkers by language ("en", "es"); a language without one is not
// checked.
using SpellCheckers = std::map<std::string, const SpellChecker*, std::less<>>;

// What rating in a workspace needs, read once for many ratings.
struct ScaleContext {
  Branding branding;
  // The domains the workspace's people write from, most common first (none
  // while it has nobody: look-alikes are then not judged).
  std::vector<std::string> own_domains;
  std::map<std::string, PremiseRatings> answers;     // the workspace's, by category
  std::shared_ptr<const SimulationLibrary> library;  // as the workspace sees it
  const SpellCheckers* spellers = nullptr;
};

Result<ScaleContext> scale_context(Store& store, std::int64_t workspace_id,
                                   std::shared_ptr<const SimulationLibrary> library,
                                   const SpellCheckers* spellers);

// The library's suggested answers for a category (nullopt when it has no
// simulation there).
std::optional<PremiseRatings> category_suggestion(const SimulationLibrary& library,
                                                  std::string_view category);

PremiseChoice premise_for(const TemplateScale& scale, const ScaleContext& context);

// "es" when the text reads as Spanish, else "en".
std::string language_of(const EmailTemplate& tmpl, const ScaleContext& context);

std::vector<FoundCue> detect_template_cues(const EmailTemplate& tmpl, const ScaleContext& context);
PhishRating rate_template(const EmailTemplate& tmpl, const ScaleContext& context);
// The same for unsaved work, its Phish Scale settings checked first
// (core/template_scale.h; kValidation).
Result<PhishRating> rate_draft(EmailTemplate tmpl, const ScaleContext& context);
// The simulation as it would be copied into the workspace.
PhishRating rate_simulation(const Simulation& simulation, const ScaleContext& context);

// What the workspace's people did with each template, by template id.
Result<std::map<std::int64_t, TemplateOutcome>> template_outcomes(Store& store,
                                                                  std::int64_t workspace_id);
// The same added up per library simulation, over the templates copied from
// it (by their phish_scale.library_slug).
Result<std::map<std::string, TemplateOutcome>> simulation_outcomes(Store& store,
                                                                   std::int64_t workspace_id);

}  // namespace phishdrill::service
