// The library's fixed words: categories, channels, languages, audiences,
// the NIST Phish Scale cue types (NIST TN 2276) in its four categories, and
// the premise answers. Pure; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace phishdrill {

std::span<const std::string_view> simulation_categories();
std::span<const std::string_view> simulation_channels();
std::span<const std::string_view> simulation_languages();
std::span<const std::string_view> simulation_audiences();

struct CueType {
  std::string_view name;      // e.g. "domain_spoofing"
  std::string_view category;  // "errors", "technical", "visual" or "language"
};
std::span<const CueType> phish_cue_types();

// True when `word` is in `words`.
bool is_one_of(std::span<const std::string_view> words, std::string_view word);
bool is_cue_type(std::string_view name);
// "high", "medium" or "low".
bool is_premise_answer(std::string_view answer);

}  // namespace phishdrill
