// SpellChecker (core/phish_cues.h) over a Hunspell dictionary: Debian's
// hunspell-en-us and hunspell-es, <dir>/en_US.aff+.dic and es_ES.aff+.dic,
// both UTF-8. A Hunspell object is not thread-safe, so calls are serialised
// by a mutex; words are short and checks rare (ratings, not the hit path).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/mutex.h"
#include "core/phish_cues.h"

class Hunspell;

namespace phishdrill {

class HunspellDictionary final : public SpellChecker {
 public:
  // kNotFound when either file is missing.
  static Result<std::unique_ptr<HunspellDictionary>> open(const std::filesystem::path& aff,
                                                          const std::filesystem::path& dic);
  ~HunspellDictionary() override;
  bool knows(std::string_view word) const override;

 private:
  explicit HunspellDictionary(std::unique_ptr<Hunspell> hunspell);

  mutable Mutex mutex_;
  std::unique_ptr<Hunspell> hunspell_ PD_PT_GUARDED_BY(mutex_);
};

// The library's languages' dictionaries found in `dir` ("en" from en_US,
// "es" from es_ES); a language whose files are missing is left out.
std::map<std::string, std::unique_ptr<HunspellDictionary>> open_dictionaries(
    const std::filesystem::path& dir);

}  // namespace phishdrill
