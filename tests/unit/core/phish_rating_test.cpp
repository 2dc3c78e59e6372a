#include "core/phish_rating.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {
namespace {

PremiseChoice premise(int process, int relevance, int events, int consequences, int training,
                      PremiseSource source = PremiseSource::kWorkspace) {
  PremiseChoice choice;
  choice.ratings[PremiseElement::kWorkplaceProcess] = process;
  choice.ratings[PremiseElement::kWorkplaceRelevance] = relevance;
  choice.ratings[PremiseElement::kExternalEvents] = events;
  choice.ratings[PremiseElement::kConsequences] = consequences;
  choice.ratings[PremiseElement::kTrainingExposure] = training;
  choice.source = source;
  return choice;
}

PremiseChoice default_choice() { return {default_premise(), PremiseSource::kDefault}; }

long count_of(const PhishRating& r, std::string_view type) {
  return std::ranges::count_if(r.cues, [&](const RatedCue& c) { return c.type == type; });
}

long detected_of(const PhishRating& r, std::string_view type) {
  return std::ranges::count_if(r.cues,
                               [&](const RatedCue& c) { return c.type == type && c.detected; });
}

std::string reasons(const PhishRating& r) {
  std::string out;
  for (const auto& reason : r.reasons) out += reason + "\n";
  return out;
}

TEST(PhishRating, DefaultPremiseIsModerateEverywhereAMediumTwelve) {
  const PremiseRatings ratings = default_premise();
  for (const PremiseElement e : premise_elements()) EXPECT_EQ(ratings[e], 4);
  EXPECT_EQ(premise_score(ratings), 12);
  EXPECT_EQ(premise_band(premise_score(ratings)), PremiseBand::kMedium);
}

TEST(PhishRating, NoCuesAndTheDefaultPremiseIsVeryDifficult) {
  const PhishRating r = rate_on_phish_scale({}, TemplateScale{}, default_choice());
  EXPECT_TRUE(r.cues.empty());
  EXPECT_EQ(r.cue_count, 0);
  EXPECT_EQ(r.cue_band, CueBand::kFew);
  EXPECT_EQ(r.premise_score, 12);
  EXPECT_EQ(r.premise_band, PremiseBand::kMedium);
  EXPECT_EQ(r.premise.source, PremiseSource::kDefault);
  EXPECT_EQ(r.difficulty, Difficulty::kVery);
}

TEST(PhishRating, ADetectedCueTheAuthorAlsoListsCountsOnce) {
  const std::vector<FoundCue> detected = {{"sense_of_urgency", "\"urgent\""}};
  TemplateScale scale;
  scale.cues = {{"sense_of_urgency", "the subject says URGENT"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  EXPECT_EQ(r.cue_count, 1);
  ASSERT_EQ(r.cues.size(), 1u);
  // The author's words are kept.
  EXPECT_EQ(r.cues[0].type, "sense_of_urgency");
  EXPECT_EQ(r.cues[0].where, "the subject says URGENT");
  EXPECT_EQ(r.cues[0].category, "language");
  EXPECT_FALSE(r.cues[0].detected);
}

TEST(PhishRating, TheLargerOfDetectedAndAuthoredCounts) {
  const std::vector<FoundCue> detected = {{"url_hyperlinking", "the link \"Open\""},
                                          {"url_hyperlinking", "the link \"View\""},
                                          {"url_hyperlinking", "the link \"Pay\""}};
  TemplateScale scale;
  scale.cues = {{"url_hyperlinking", "the button hides the address"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  EXPECT_EQ(r.cue_count, 3);
  EXPECT_EQ(count_of(r, "url_hyperlinking"), 3);
  EXPECT_EQ(detected_of(r, "url_hyperlinking"), 2);
}

TEST(PhishRating, AuthoredCuesBeyondTheDetectedCount) {
  const std::vector<FoundCue> detected = {{"sense_of_urgency", "\"urgent\""}};
  TemplateScale scale;
  scale.cues = {{"sense_of_urgency", "the subject says URGENT"},
                {"sense_of_urgency", "\"before 5 pm\" in the body"},
                {"no_branding", "no logo at all"},
                {"poses_as_authority", "signed by the CEO"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  EXPECT_EQ(r.cue_count, 4);
  EXPECT_EQ(count_of(r, "sense_of_urgency"), 2);
  EXPECT_EQ(detected_of(r, "sense_of_urgency"), 0);
  EXPECT_EQ(count_of(r, "no_branding"), 1);
  EXPECT_EQ(count_of(r, "poses_as_authority"), 1);
}

TEST(PhishRating, DetectedCuesOfOtherTypesAddUp) {
  const std::vector<FoundCue> detected = {{"sense_of_urgency", "\"urgent\""},
                                          {"generic_greeting", "the greeting \"dear customer\""}};
  TemplateScale scale;
  scale.cues = {{"logo_imitation", "an old logo"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  EXPECT_EQ(r.cue_count, 3);
  EXPECT_EQ(detected_of(r, "sense_of_urgency"), 1);
  EXPECT_EQ(detected_of(r, "generic_greeting"), 1);
  EXPECT_EQ(count_of(r, "logo_imitation"), 1);
}

TEST(PhishRating, DismissedDetectedTypesAreDroppedButAuthoredOnesKept) {
  const std::vector<FoundCue> detected = {{"generic_greeting", "no greeting"},
                                          {"sense_of_urgency", "\"deadline\""},
                                          {"sense_of_urgency", "\"urgent\""}};
  TemplateScale scale;
  scale.dismissed = {"generic_greeting", "sense_of_urgency"};
  scale.cues = {{"sense_of_urgency", "\"urgent\" in the subject"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  EXPECT_EQ(count_of(r, "generic_greeting"), 0);
  EXPECT_EQ(count_of(r, "sense_of_urgency"), 1);
  EXPECT_EQ(detected_of(r, "sense_of_urgency"), 0);
  EXPECT_EQ(r.cue_count, 1);
}

TEST(PhishRating, CuesComeInTheScalesOrderWithTheirCategories) {
  const std::vector<FoundCue> detected = {{"sense_of_urgency", "\"urgent\""},
                                          {"spelling_grammar", "the word \"reviw\""},
                                          {"domain_spoofing", "examp1e.org"}};
  TemplateScale scale;
  scale.cues = {{"no_branding", "no logo"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  ASSERT_EQ(r.cues.size(), 4u);
  EXPECT_EQ(r.cues[0].type, "spelling_grammar");
  EXPECT_EQ(r.cues[0].category, "errors");
  EXPECT_TRUE(r.cues[0].detected);
  EXPECT_EQ(r.cues[1].type, "domain_spoofing");
  EXPECT_EQ(r.cues[1].category, "technical");
  EXPECT_EQ(r.cues[2].type, "no_branding");
  EXPECT_EQ(r.cues[2].category, "visual");
  EXPECT_FALSE(r.cues[2].detected);
  EXPECT_EQ(r.cues[3].type, "sense_of_urgency");
  EXPECT_EQ(r.cues[3].category, "language");
}

TEST(PhishRating, BandsAndDifficultyFollowTheCounts) {
  std::vector<FoundCue> detected;
  TemplateScale scale;
  for (int i = 0; i < 9; ++i) {
    scale.cues.push_back({"distracting_detail", "detail " + std::to_string(i)});
  }
  // 9 cues (some) and a weak premise: moderately to least difficult.
  const PhishRating r = rate_on_phish_scale(detected, scale, premise(2, 2, 2, 2, 2));
  EXPECT_EQ(r.cue_count, 9);
  EXPECT_EQ(r.cue_band, CueBand::kSome);
  EXPECT_EQ(r.premise_score, 6);
  EXPECT_EQ(r.premise_band, PremiseBand::kWeak);
  EXPECT_EQ(r.difficulty, Difficulty::kModeratelyToLeast);
  // 8 cues: few.
  scale.cues.pop_back();
  EXPECT_EQ(rate_on_phish_scale(detected, scale, premise(2, 2, 2, 2, 2)).cue_band, CueBand::kFew);
}

TEST(PhishRating, ThePremiseChoiceIsKept) {
  const PremiseChoice choice = premise(8, 8, 4, 6, 2, PremiseSource::kSuggested);
  const PhishRating r = rate_on_phish_scale({}, TemplateScale{}, choice);
  EXPECT_EQ(r.premise.ratings, choice.ratings);
  EXPECT_EQ(r.premise.source, PremiseSource::kSuggested);
  EXPECT_EQ(r.premise_score, 24);
  EXPECT_EQ(r.premise_band, PremiseBand::kStrong);
  EXPECT_EQ(r.difficulty, Difficulty::kVery);
}

TEST(PhishRating, ReasonsMentionCountsAndBands) {
  const std::vector<FoundCue> detected = {{"sense_of_urgency", "\"urgent\""},
                                          {"url_hyperlinking", "the link \"Open\""}};
  TemplateScale scale;
  scale.cues = {{"no_branding", "no logo"}};
  const PhishRating r = rate_on_phish_scale(detected, scale, default_choice());
  ASSERT_EQ(r.reasons.size(), 3u);
  EXPECT_EQ(r.reasons[0], "3 cues (2 detected, 1 from the author): few (8 or fewer)");
  EXPECT_EQ(r.reasons[1],
            "Premise alignment 12 from no answers yet, so moderate on every question: medium (11 "
            "to 17)");
  EXPECT_EQ(r.reasons[2], "few cues with a medium premise: Very difficult");
}

TEST(PhishRating, ReasonsForOneCueAndAStrongOrWeakPremise) {
  TemplateScale scale;
  scale.cues = {{"no_branding", "no logo"}};
  const PhishRating strong =
      rate_on_phish_scale({}, scale, premise(8, 8, 2, 0, 0, PremiseSource::kWorkspace));
  EXPECT_NE(reasons(strong).find("1 cue (0 detected, 1 from the author)"), std::string::npos)
      << reasons(strong);
  EXPECT_NE(reasons(strong).find("18 from this workspace's answers: strong (18 or more)"),
            std::string::npos)
      << reasons(strong);
  const PhishRating weak =
      rate_on_phish_scale({}, scale, premise(2, 2, 2, 4, 0, PremiseSource::kSuggested));
  EXPECT_NE(reasons(weak).find("10 from the library's suggested answers: weak (10 or less)"),
            std::string::npos)
      << reasons(weak);
  EXPECT_NE(reasons(weak).find("few cues with a weak premise: Moderately difficult"),
            std::string::npos)
      << reasons(weak);
}

TEST(PhishRating, ReasonsForManyCues) {
  std::vector<FoundCue> detected;
  for (int i = 0; i < 15; ++i) detected.push_back({"spelling_grammar", std::to_string(i)});
  const PhishRating r = rate_on_phish_scale(detected, TemplateScale{}, premise(0, 0, 0, 0, 0));
  EXPECT_EQ(r.cue_count, 15);
  EXPECT_EQ(r.reasons[0], "15 cues (15 detected, 0 from the author): many (15 or more)");
  EXPECT_EQ(r.reasons[2], "many cues with a weak premise: Least difficult");
}

TEST(PhishRating, PremiseSourceNames) {
  EXPECT_EQ(premise_source_name(PremiseSource::kWorkspace), "workspace");
  EXPECT_EQ(premise_source_name(PremiseSource::kSuggested), "suggested");
  EXPECT_EQ(premise_source_name(PremiseSource::kDefault), "default");
}

}  // namespace
}  // namespace phishdrill
