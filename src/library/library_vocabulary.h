// The library's fixed words: categories, channels, languages and audiences.
// (The Phish Scale's own words are in core/phish_scale.h.) Pure; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace phishdrill {

std::span<const std::string_view> simulation_categories();
std::span<const std::string_view> simulation_channels();
std::span<const std::string_view> simulation_languages();
std::span<const std::string_view> simulation_audiences();

// True when `word` is in `words`.
bool is_one_of(std::span<const std::string_view> words, std::string_view word);

}  // namespace phishdrill
