#include "core/suspicious_phrases.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill {
namespace {

std::vector<std::string> phrases(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& match : find_suspicious_phrases(text)) out.emplace_back(match.phrase);
  return out;
}

TEST(FindSuspiciousPhrases, EachKind) {
  const auto found = find_suspicious_phrases(
      "URGENT: your account will be suspended. Please verify your password and send the gift "
      "card codes.");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].kind, PhraseKind::kUrgency);
  EXPECT_EQ(found[0].phrase, "urgent");
  EXPECT_EQ(found[1].phrase, "account will be suspended");
  EXPECT_EQ(found[2].kind, PhraseKind::kPayment);
  EXPECT_EQ(found[2].phrase, "gift card");
  EXPECT_EQ(found[3].kind, PhraseKind::kCredential);
  EXPECT_EQ(found[3].phrase, "verify your password");
}

TEST(FindSuspiciousPhrases, IgnoresCaseAndWhitespaceRuns) {
  EXPECT_EQ(phrases("Reply WITHIN\n\t 24   hours"), std::vector<std::string>{"within 24 hours"});
  EXPECT_EQ(phrases("Final\xC2\xA0Notice"), std::vector<std::string>{"final notice"});
}

TEST(FindSuspiciousPhrases, WholeWordsOnly) {
  EXPECT_EQ(phrases("They acted urgently."), std::vector<std::string>{"urgently"});
  EXPECT_EQ(phrases("insurgent"), std::vector<std::string>{});
  EXPECT_EQ(phrases("act nowhere"), std::vector<std::string>{});
  EXPECT_EQ(phrases("libanese"), std::vector<std::string>{});  // "iban" inside a word
  EXPECT_EQ(phrases("(urgent)"), std::vector<std::string>{"urgent"});
}

TEST(FindSuspiciousPhrases, EachPhraseOnce) {
  EXPECT_EQ(phrases("urgent urgent URGENT"), std::vector<std::string>{"urgent"});
}

TEST(FindSuspiciousPhrases, NothingInOrdinaryMail) {
  EXPECT_TRUE(find_suspicious_phrases("Hi team, the minutes of Tuesday's meeting are attached. "
                                      "Thanks, Ada")
                  .empty());
  EXPECT_TRUE(find_suspicious_phrases("").empty());
}

TEST(FindSuspiciousPhrases, HostileInput) {
  EXPECT_EQ(phrases("\xFF\xFE urgent \xC0"), std::vector<std::string>{"urgent"});
  // Only the first 256 KiB are read.
  EXPECT_TRUE(phrases(std::string(300 * 1024, 'x') + " urgent").empty());
  EXPECT_EQ(phrases(std::string(200 * 1024, ' ') + "urgent"), std::vector<std::string>{"urgent"});
}

}  // namespace
}  // namespace phishdrill
