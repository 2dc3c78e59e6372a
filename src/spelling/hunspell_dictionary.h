// SpellChecker (core/phish_cues.h) over Hunspell dictionaries of one
// language: Debian's hunspell-en-us and hunspell-en-gb (a word either knows
// is English: the library is written in British English, many
// organisations in American), and hunspell-es; all UTF-8. A Hunspell
// object is not thread-safe, so calls are serialised by a mutex; words are
// short and checks rare (ratings, not the hit path).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/mutex.h"
#include "core/phish_cues.h"

class Hunspell;

namespace phishdrill {

class HunspellDictionary final : public SpellChecker {
 public:
  // Opens `<dir>/<name>.aff` and `.dic` for each of `names` that has both;
  // kNotFound when none has.
  static Result<std::unique_ptr<HunspellDictionary>> open(const std::filesystem::path& dir,
                                                          const std::vector<std::string>& names);
  ~HunspellDictionary() override;
  // True when any of the dictionaries knows the word.
  bool knows(std::string_view word) const override;

 private:
  explicit HunspellDictionary(std::vector<std::unique_ptr<Hunspell>> variants);

  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Hunspell>> variants_ PD_GUARDED_BY(mutex_);
};

// The library's languages found in `dir`: "en" from en_US and en_GB, "es"
// from es_ES; a language without its files is left out.
std::map<std::string, std::unique_ptr<HunspellDictionary>> open_dictionaries(
    const std::filesystem::path& dir);

}  // namespace phishdrill
