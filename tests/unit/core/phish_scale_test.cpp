#include "core/phish_scale.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace phishdrill {
namespace {

// Ratings in the scale's element order: workplace process, workplace
// relevance, external events, consequences, training exposure.
PremiseRatings ratings(int process, int relevance, int events, int consequences, int training) {
  PremiseRatings r;
  r[PremiseElement::kWorkplaceProcess] = process;
  r[PremiseElement::kWorkplaceRelevance] = relevance;
  r[PremiseElement::kExternalEvents] = events;
  r[PremiseElement::kConsequences] = consequences;
  r[PremiseElement::kTrainingExposure] = training;
  return r;
}

int applicability(std::string_view word) {
  const auto rating = parse_applicability(word);
  EXPECT_TRUE(rating.has_value()) << word;
  return rating.value_or(-1);
}

TEST(PhishScale, EveryCellOfTheDifficultyTable) {
  using enum Difficulty;
  EXPECT_EQ(detection_difficulty(CueBand::kFew, PremiseBand::kStrong), kVery);
  EXPECT_EQ(detection_difficulty(CueBand::kFew, PremiseBand::kMedium), kVery);
  EXPECT_EQ(detection_difficulty(CueBand::kFew, PremiseBand::kWeak), kModerately);
  EXPECT_EQ(detection_difficulty(CueBand::kSome, PremiseBand::kStrong), kVery);
  EXPECT_EQ(detection_difficulty(CueBand::kSome, PremiseBand::kMedium), kModerately);
  EXPECT_EQ(detection_difficulty(CueBand::kSome, PremiseBand::kWeak), kModeratelyToLeast);
  EXPECT_EQ(detection_difficulty(CueBand::kMany, PremiseBand::kStrong), kModerately);
  EXPECT_EQ(detection_difficulty(CueBand::kMany, PremiseBand::kMedium), kModerately);
  EXPECT_EQ(detection_difficulty(CueBand::kMany, PremiseBand::kWeak), kLeast);
}

TEST(PhishScale, FewCuesAndAStrongPremiseAreVeryDifficult) {
  EXPECT_EQ(detection_difficulty(cue_band(2), premise_band(24)), Difficulty::kVery);
}

TEST(PhishScale, ManyCuesAndAWeakPremiseAreLeastDifficult) {
  EXPECT_EQ(detection_difficulty(cue_band(20), premise_band(4)), Difficulty::kLeast);
}

TEST(PhishScale, CueBandBoundaries) {
  EXPECT_EQ(cue_band(0), CueBand::kFew);  // no cues counts with the hardest band
  EXPECT_EQ(cue_band(1), CueBand::kFew);
  EXPECT_EQ(cue_band(8), CueBand::kFew);
  EXPECT_EQ(cue_band(9), CueBand::kSome);
  EXPECT_EQ(cue_band(14), CueBand::kSome);
  EXPECT_EQ(cue_band(15), CueBand::kMany);
  EXPECT_EQ(cue_band(40), CueBand::kMany);
}

TEST(PhishScale, CueBandNames) {
  EXPECT_EQ(cue_band_name(CueBand::kFew), "few");
  EXPECT_EQ(cue_band_name(CueBand::kSome), "some");
  EXPECT_EQ(cue_band_name(CueBand::kMany), "many");
}

TEST(PhishScale, PremiseBandBoundaries) {
  EXPECT_EQ(premise_band(-8), PremiseBand::kWeak);
  EXPECT_EQ(premise_band(0), PremiseBand::kWeak);
  EXPECT_EQ(premise_band(10), PremiseBand::kWeak);
  EXPECT_EQ(premise_band(11), PremiseBand::kMedium);
  EXPECT_EQ(premise_band(17), PremiseBand::kMedium);
  EXPECT_EQ(premise_band(18), PremiseBand::kStrong);
  EXPECT_EQ(premise_band(32), PremiseBand::kStrong);
}

TEST(PhishScale, PremiseBandNames) {
  EXPECT_EQ(premise_band_name(PremiseBand::kWeak), "weak");
  EXPECT_EQ(premise_band_name(PremiseBand::kMedium), "medium");
  EXPECT_EQ(premise_band_name(PremiseBand::kStrong), "strong");
}

TEST(PhishScale, PremiseScoreAddsTheFirstFourAndSubtractsTrainingExposure) {
  EXPECT_EQ(premise_score(ratings(0, 0, 0, 0, 0)), 0);
  EXPECT_EQ(premise_score(ratings(2, 4, 6, 8, 0)), 20);
  EXPECT_EQ(premise_score(ratings(2, 4, 6, 8, 4)), 16);
  EXPECT_EQ(premise_score(ratings(0, 0, 0, 0, 8)), -8);  // the lowest score
  EXPECT_EQ(premise_score(ratings(8, 8, 8, 8, 0)), 32);  // the highest
  // Each of the first four adds on its own; only the fifth subtracts.
  EXPECT_EQ(premise_score(ratings(6, 0, 0, 0, 0)), 6);
  EXPECT_EQ(premise_score(ratings(0, 6, 0, 0, 0)), 6);
  EXPECT_EQ(premise_score(ratings(0, 0, 6, 0, 0)), 6);
  EXPECT_EQ(premise_score(ratings(0, 0, 0, 6, 0)), 6);
  EXPECT_EQ(premise_score(ratings(0, 0, 0, 0, 6)), -6);
}

TEST(PhishScale, PremiseRatingsAreIndexedByElement) {
  PremiseRatings r;
  r[PremiseElement::kConsequences] = 6;
  EXPECT_EQ(r.ratings[3], 6);
  EXPECT_EQ(r[PremiseElement::kWorkplaceProcess], 0);
  EXPECT_EQ(r, ratings(0, 0, 0, 6, 0));
  EXPECT_NE(r, ratings(0, 0, 0, 0, 6));
}

TEST(PhishScale, PremiseElementsInTheScalesOrder) {
  const auto elements = premise_elements();
  ASSERT_EQ(elements.size(), kPremiseElementCount);
  EXPECT_EQ(elements[0], PremiseElement::kWorkplaceProcess);
  EXPECT_EQ(elements[1], PremiseElement::kWorkplaceRelevance);
  EXPECT_EQ(elements[2], PremiseElement::kExternalEvents);
  EXPECT_EQ(elements[3], PremiseElement::kConsequences);
  EXPECT_EQ(elements[4], PremiseElement::kTrainingExposure);
  EXPECT_EQ(premise_element_name(PremiseElement::kWorkplaceProcess), "workplace_process");
  EXPECT_EQ(premise_element_name(PremiseElement::kTrainingExposure), "training_exposure");
}

TEST(PhishScale, PremiseElementNamesRoundTrip) {
  std::set<std::string_view> names;
  for (const PremiseElement e : premise_elements()) {
    const std::string_view name = premise_element_name(e);
    EXPECT_FALSE(name.empty());
    names.insert(name);
    EXPECT_EQ(parse_premise_element(name), e) << name;
  }
  EXPECT_EQ(names.size(), kPremiseElementCount);
  EXPECT_EQ(parse_premise_element(""), std::nullopt);
  EXPECT_EQ(parse_premise_element("consequence"), std::nullopt);
  EXPECT_EQ(parse_premise_element("Consequences"), std::nullopt);
}

TEST(PhishScale, ApplicabilityWordsParseToEvenRatings) {
  EXPECT_EQ(parse_applicability("none"), 0);
  EXPECT_EQ(parse_applicability("low"), 2);
  EXPECT_EQ(parse_applicability("moderate"), 4);
  EXPECT_EQ(parse_applicability("significant"), 6);
  EXPECT_EQ(parse_applicability("extreme"), 8);
}

TEST(PhishScale, ApplicabilityRatingsNameTheirWord) {
  EXPECT_EQ(applicability_name(0), "none");
  EXPECT_EQ(applicability_name(2), "low");
  EXPECT_EQ(applicability_name(4), "moderate");
  EXPECT_EQ(applicability_name(6), "significant");
  EXPECT_EQ(applicability_name(8), "extreme");
  for (const int rating : {0, 2, 4, 6, 8}) {
    EXPECT_EQ(parse_applicability(applicability_name(rating)), rating) << rating;
  }
}

TEST(PhishScale, UnknownApplicabilityWordsAreRefused) {
  for (const std::string_view word :
       {"", "high", "medium", "strong", "n/a", "4", " low", "low ", "extremely"}) {
    EXPECT_EQ(parse_applicability(word), std::nullopt) << '"' << word << '"';
  }
}

TEST(PhishScale, ThereAreTwentyThreeCueTypesWithUniqueNames) {
  const auto types = phish_cue_types();
  EXPECT_EQ(types.size(), 23u);
  std::set<std::string_view> names;
  for (const CueType& type : types) {
    EXPECT_FALSE(type.name.empty());
    EXPECT_TRUE(names.insert(type.name).second) << "twice: " << type.name;
  }
}

TEST(PhishScale, EveryCueTypeHasOneOfTheFourCategories) {
  const std::set<std::string_view> categories = {"errors", "technical", "visual", "language"};
  std::map<std::string_view, int> per_category;
  for (const CueType& type : phish_cue_types()) {
    EXPECT_TRUE(categories.contains(type.category)) << type.name << ": " << type.category;
    EXPECT_TRUE(is_cue_type(type.name)) << type.name;
    EXPECT_EQ(cue_category(type.name), type.category) << type.name;
    ++per_category[type.category];
  }
  // Each category has at least one cue type.
  EXPECT_EQ(per_category.size(), 4u);
  EXPECT_EQ(per_category["errors"], 2);
  EXPECT_EQ(per_category["technical"], 4);
  EXPECT_EQ(per_category["visual"], 4);
}

TEST(PhishScale, CueTypesInTheScalesOrder) {
  const auto types = phish_cue_types();
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front().name, "spelling_grammar");
  EXPECT_EQ(types.back().name, "poses_as_authority");
  // Categories come in blocks: errors, technical, visual, then language.
  const std::map<std::string_view, int> rank = {
      {"errors", 0}, {"technical", 1}, {"visual", 2}, {"language", 3}};
  for (std::size_t i = 1; i < types.size(); ++i) {
    EXPECT_LE(rank.at(types[i - 1].category), rank.at(types[i].category)) << types[i].name;
  }
}

TEST(PhishScale, KnownCueTypesAndTheirCategories) {
  EXPECT_EQ(cue_category("spelling_grammar"), "errors");
  EXPECT_EQ(cue_category("inconsistency"), "errors");
  EXPECT_EQ(cue_category("domain_spoofing"), "technical");
  EXPECT_EQ(cue_category("url_hyperlinking"), "technical");
  EXPECT_EQ(cue_category("attachment_type"), "technical");
  EXPECT_EQ(cue_category("display_name_mismatch"), "technical");
  EXPECT_EQ(cue_category("security_indicators"), "visual");
  EXPECT_EQ(cue_category("no_branding"), "visual");
  EXPECT_EQ(cue_category("sense_of_urgency"), "language");
  EXPECT_EQ(cue_category("generic_greeting"), "language");
  EXPECT_EQ(cue_category("humanitarian_appeal"), "language");
}

TEST(PhishScale, UnknownCueTypesHaveNoCategory) {
  for (const std::string_view name :
       {"", "urgency", "Domain_Spoofing", "domain_spoofing ", "errors", "language"}) {
    EXPECT_FALSE(is_cue_type(name)) << '"' << name << '"';
    EXPECT_EQ(cue_category(name), "") << '"' << name << '"';
  }
}

TEST(PhishScale, DifficultyNamesRoundTrip) {
  using enum Difficulty;
  std::set<std::string_view> names;
  for (const Difficulty d : {kVery, kModerately, kModeratelyToLeast, kLeast}) {
    names.insert(difficulty_name(d));
    EXPECT_EQ(parse_difficulty(difficulty_name(d)), d) << difficulty_name(d);
  }
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(difficulty_name(kVery), "very");
  EXPECT_EQ(difficulty_name(kModerately), "moderately");
  EXPECT_EQ(difficulty_name(kModeratelyToLeast), "moderately_to_least");
  EXPECT_EQ(difficulty_name(kLeast), "least");
}

TEST(PhishScale, UnknownDifficultyNamesAreRefused) {
  for (const std::string_view name :
       {"", "Very", "very difficult", "Very difficult", "moderately to least", "hard", "least "}) {
    EXPECT_EQ(parse_difficulty(name), std::nullopt) << '"' << name << '"';
  }
}

TEST(PhishScale, DifficultyLabelsForPeople) {
  EXPECT_EQ(difficulty_label(Difficulty::kVery), "Very difficult");
  EXPECT_EQ(difficulty_label(Difficulty::kModerately), "Moderately difficult");
  EXPECT_EQ(difficulty_label(Difficulty::kModeratelyToLeast), "Moderately to least difficult");
  EXPECT_EQ(difficulty_label(Difficulty::kLeast), "Least difficult");
}

// Hand-computed from the rules in phish_scale.h (not quoted from NIST's
// guide): a message with 3 cues whose premise is rated significant,
// significant, low, moderate and (training exposure) low.
TEST(PhishScale, HandComputedExampleFewCuesMediumPremiseIsVeryDifficult) {
  const PremiseRatings r =
      ratings(applicability("significant"), applicability("significant"), applicability("low"),
              applicability("moderate"), applicability("low"));
  const int score = premise_score(r);
  EXPECT_EQ(score, 6 + 6 + 2 + 4 - 2);
  EXPECT_EQ(score, 16);
  EXPECT_EQ(premise_band(score), PremiseBand::kMedium);
  EXPECT_EQ(cue_band(3), CueBand::kFew);
  const Difficulty d = detection_difficulty(cue_band(3), premise_band(score));
  EXPECT_EQ(d, Difficulty::kVery);
  EXPECT_EQ(difficulty_label(d), "Very difficult");
}

// Hand-computed from the rules in phish_scale.h (not quoted from NIST's
// guide): a message with 16 cues whose premise is rated low, low, none, low
// and (training exposure) moderate.
TEST(PhishScale, HandComputedExampleManyCuesWeakPremiseIsLeastDifficult) {
  const PremiseRatings r =
      ratings(applicability("low"), applicability("low"), applicability("none"),
              applicability("low"), applicability("moderate"));
  const int score = premise_score(r);
  EXPECT_EQ(score, 2 + 2 + 0 + 2 - 4);
  EXPECT_EQ(score, 2);
  EXPECT_EQ(premise_band(score), PremiseBand::kWeak);
  EXPECT_EQ(cue_band(16), CueBand::kMany);
  const Difficulty d = detection_difficulty(cue_band(16), premise_band(score));
  EXPECT_EQ(d, Difficulty::kLeast);
  EXPECT_EQ(difficulty_label(d), "Least difficult");
}

}  // namespace
}  // namespace phishdrill
