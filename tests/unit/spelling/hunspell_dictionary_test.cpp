// The spelling cue with Debian's real dictionaries (hunspell-en-us and
// hunspell-es, installed by scripts/bootstrap.sh).
#include "spelling/hunspell_dictionary.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "core/phish_cues.h"

namespace phishdrill {
namespace {

const std::filesystem::path kDebianDictionaries = "/usr/share/hunspell";

class HunspellDictionaryTest : public ::testing::Test {
 protected:
  std::map<std::string, std::unique_ptr<HunspellDictionary>> dictionaries_ =
      open_dictionaries(kDebianDictionaries);
};

TEST_F(HunspellDictionaryTest, EnglishAndSpanishAreFound) {
  ASSERT_TRUE(dictionaries_.contains("en"));
  ASSERT_TRUE(dictionaries_.contains("es"));
}

TEST_F(HunspellDictionaryTest, KnowsRealWordsAndNotMisspellings) {
  const auto& en = *dictionaries_.at("en");
  // American and British spellings alike.
  for (const char* word : {"receive", "password", "invoice", "urgent", "attached", "organization",
                           "organisation", "enrolment", "center", "centre"}) {
    EXPECT_TRUE(en.knows(word)) << word;
  }
  for (const char* word : {"recieve", "pasword", "invoise", "urgnet"}) {
    EXPECT_FALSE(en.knows(word)) << word;
  }
  const auto& es = *dictionaries_.at("es");
  for (const char* word : {"contraseña", "factura", "urgente", "recibir"}) {
    EXPECT_TRUE(es.knows(word)) << word;
  }
  for (const char* word : {"contrasenya", "factrua", "resibir"})
    EXPECT_FALSE(es.knows(word)) << word;
}

TEST_F(HunspellDictionaryTest, MisspelledWordsBecomeCuesOncePerWord) {
  CueMessage m;
  m.from_name = "Payroll";
  m.from_address = "payroll@example.org";
  m.subject = "Hi {{.FirstName}}, please recieve the attached invoise";
  m.text = "Please recieve the attached document and confirm by Friday.";
  const auto cues = detect_cues(m, dictionaries_.at("en").get());
  std::vector<std::string> spelling;
  for (const auto& c : cues) {
    if (c.type == "spelling_grammar") spelling.push_back(c.where);
  }
  EXPECT_EQ(spelling, (std::vector<std::string>{"the word \"recieve\"", "the word \"invoise\""}));
}

TEST_F(HunspellDictionaryTest, AWellWrittenSpanishMessageHasNoSpellingCue) {
  CueMessage m;
  m.from_name = "Nóminas";
  m.from_address = "nominas@example.org";
  m.subject = "Hola {{.FirstName}}, su recibo de nómina está disponible";
  m.text = "Puede consultar su recibo de nómina en el portal del empleado.";
  for (const auto& c : detect_cues(m, dictionaries_.at("es").get())) {
    EXPECT_NE(c.type, "spelling_grammar") << c.where;
  }
}

TEST_F(HunspellDictionaryTest, CallsFromManyThreadsAgree) {
  const auto& en = *dictionaries_.at("en");
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (!en.knows("message") || en.knows("mesage")) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(HunspellDictionary, MissingFilesAreNotFoundAndLeftOut) {
  const auto missing = HunspellDictionary::open("/nonexistent", {"xx_XX"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(open_dictionaries("/nonexistent").empty());
}

}  // namespace
}  // namespace phishdrill
