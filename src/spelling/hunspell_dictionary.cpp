#include "spelling/hunspell_dictionary.h"

#include <algorithm>
#include <hunspell.hxx>
#include <utility>

namespace phishdrill {

Result<std::unique_ptr<HunspellDictionary>> HunspellDictionary::open(
    const std::filesystem::path& dir, const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<Hunspell>> variants;
  for (const std::string& name : names) {
    const auto aff = dir / (name + ".aff");
    const auto dic = dir / (name + ".dic");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(aff, ec) || !std::filesystem::is_regular_file(dic, ec)) {
      continue;
    }
    variants.push_back(std::make_unique<Hunspell>(aff.c_str(), dic.c_str()));
  }
  if (variants.empty()) return fail(ErrorCode::kNotFound, "no dictionary in " + dir.string());
  return std::unique_ptr<HunspellDictionary>(new HunspellDictionary(std::move(variants)));
}

HunspellDictionary::HunspellDictionary(std::vector<std::unique_ptr<Hunspell>> variants)
    : variants_(std::move(variants)) {}

HunspellDictionary::~HunspellDictionary() = default;

bool HunspellDictionary::knows(std::string_view word) const {
  const std::string text(word);
  MutexLock lock(mutex_);
  return std::ranges::any_of(variants_, [&](const auto& h) { return h->spell(text); });
}

std::map<std::string, std::unique_ptr<HunspellDictionary>> open_dictionaries(
    const std::filesystem::path& dir) {
  std::map<std::string, std::unique_ptr<HunspellDictionary>> out;
  for (const auto& [language, names] :
       {std::pair<std::string, std::vector<std::string>>{"en", {"en_US", "en_GB"}},
        std::pair<std::string, std::vector<std::string>>{"es", {"es_ES"}}}) {
    if (auto dictionary = HunspellDictionary::open(dir, names)) {
      out.emplace(language, std::move(*dictionary));
    }
  }
  return out;
}

}  // namespace phishdrill
