// The NIST Phish Scale (Steves, Greene and Theofanos 2020; Dawkins and
// Jacobs, NIST TN 2276, 2023): how hard a phishing email is for people to
// spot, from two ratings.
//  - Cues: what in the message gives it away, counted. Each cue type belongs
//    to one of four categories (errors; technical indicators; visual
//    presentation; language and content). 1-8 cues are "few", 9-14 "some",
//    15 or more "many". The scale starts at one cue; a message with none is
//    counted with "few", the hardest band.
//  - Premise alignment: how well the story fits the people who get it, from
//    five elements each rated not applicable (0), low (2), moderate (4),
//    significant (6) or extreme (8). The first four add, the fifth (the
//    audience has been trained or warned about this kind of message)
//    subtracts: -8..32. 10 or less is "weak", 11-17 "medium", 18 or more
//    "strong".
// The detection difficulty is the scale's table of the two (see
// detection_difficulty). Pure; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace phishdrill {

struct CueType {
  std::string_view name;      // e.g. "domain_spoofing"
  std::string_view category;  // "errors", "technical", "visual" or "language"
};

// The 23 cue types in the scale's order.
std::span<const CueType> phish_cue_types();
bool is_cue_type(std::string_view name);
// The category of a cue type ("" when it is not one).
std::string_view cue_category(std::string_view name);

enum class CueBand { kFew, kSome, kMany };
CueBand cue_band(int cue_count);
std::string_view cue_band_name(CueBand band);  // "few", "some", "many"

// The five premise elements, in the scale's order.
enum class PremiseElement {
  kWorkplaceProcess,    // mimics a workplace process or practice
  kWorkplaceRelevance,  // relevant to the audience's work
  kExternalEvents,      // aligns with other situations or events
  kConsequences,        // concern over consequences of not acting
  kTrainingExposure,    // the audience was trained or warned (subtracts)
};
inline constexpr std::size_t kPremiseElementCount = 5;
std::span<const PremiseElement> premise_elements();
std::string_view premise_element_name(PremiseElement element);  // "workplace_process", ...
std::optional<PremiseElement> parse_premise_element(std::string_view name);

// An element's rating: 0, 2, 4, 6 or 8.
std::optional<int> parse_applicability(std::string_view word);  // "none" .. "extreme"
std::string_view applicability_name(int rating);                // "none" .. "extreme"

struct PremiseRatings {
  std::array<int, kPremiseElementCount> ratings{};  // by PremiseElement

  int& operator[](PremiseElement e) { return ratings[static_cast<std::size_t>(e)]; }
  int operator[](PremiseElement e) const { return ratings[static_cast<std::size_t>(e)]; }
  bool operator==(const PremiseRatings&) const = default;
};

enum class PremiseBand { kWeak, kMedium, kStrong };
int premise_score(const PremiseRatings& ratings);  // -8..32
PremiseBand premise_band(int score);
std::string_view premise_band_name(PremiseBand band);  // "weak", "medium", "strong"

enum class Difficulty { kVery, kModerately, kModeratelyToLeast, kLeast };
// The scale's table:
//              strong        medium        weak
//   few        very          very          moderately
//   some       very          moderately    moderately to least
//   many       moderately    moderately    least
Difficulty detection_difficulty(CueBand cues, PremiseBand premise);
std::string_view difficulty_name(Difficulty d);   // "very", ..., "least"
std::string_view difficulty_label(Difficulty d);  // "Very difficult", ...
std::optional<Difficulty> parse_difficulty(std::string_view name);

}  // namespace phishdrill
