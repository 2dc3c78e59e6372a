#include "library/library_vocabulary.h"

#include <algorithm>
#include <array>

namespace phishdrill {
namespace {

constexpr std::array<std::string_view, 15> kCategories = {"credential-harvesting",
                                                          "mfa",
                                                          "business-email-compromise",
                                                          "invoice-and-payment",
                                                          "gift-cards",
                                                          "hr-and-payroll",
                                                          "it-help-desk",
                                                          "delivery",
                                                          "calendar",
                                                          "qr-code",
                                                          "attachment",
                                                          "callback",
                                                          "social-media",
                                                          "seasonal",
                                                          "healthcare"};

constexpr std::array<std::string_view, 4> kChannels = {"email", "qr-code", "attachment",
                                                       "callback"};

constexpr std::array<std::string_view, 2> kLanguages = {"en", "es"};

constexpr std::array<std::string_view, 8> kAudiences = {
    "everyone", "finance", "hr", "it", "clinical", "pharmacy", "executives", "managers"};

}  // namespace

std::span<const std::string_view> simulation_categories() { return kCategories; }
std::span<const std::string_view> simulation_channels() { return kChannels; }
std::span<const std::string_view> simulation_languages() { return kLanguages; }
std::span<const std::string_view> simulation_audiences() { return kAudiences; }

bool is_one_of(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace phishdrill
