#include "spelling/hunspell_dictionary.h"

#include <array>
#include <hunspell.hxx>
#include <utility>

namespace phishdrill {

Result<std::unique_ptr<HunspellDictionary>> HunspellDictionary::open(
    const std::filesystem::path& aff, const std::filesystem::path& dic) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(aff, ec) || !std::filesystem::is_regular_file(dic, ec)) {
    return fail(ErrorCode::kNotFound, "no dictionary at " + aff.string() + " and " + dic.string());
  }
  auto hunspell = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  return std::unique_ptr<HunspellDictionary>(new HunspellDictionary(std::move(hunspell)));
}

HunspellDictionary::HunspellDictionary(std::unique_ptr<Hunspell> hunspell)
    : hunspell_(std::move(hunspell)) {}

HunspellDictionary::~HunspellDictionary() = default;

bool HunspellDictionary::knows(std::string_view word) const {
  MutexLock lock(mutex_);
  return hunspell_->spell(std::string(word));
}

std::map<std::string, std::unique_ptr<HunspellDictionary>> open_dictionaries(
    const std::filesystem::path& dir) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kFiles = {
      {{"en", "en_US"}, {"es", "es_ES"}}};
  std::map<std::string, std::unique_ptr<HunspellDictionary>> out;
  for (const auto& [language, name] : kFiles) {
    auto dictionary = HunspellDictionary::open(dir / (std::string(name) + ".aff"),
                                               dir / (std::string(name) + ".dic"));
    if (dictionary) out.emplace(std::string(language), std::move(*dictionary));
  }
  return out;
}

}  // namespace phishdrill
