// What a template's author says about it on the NIST Phish Scale
// (core/phish_scale.h): its library category (which premise answers apply),
// the library simulation it was copied from, the cues the author confirms or
// adds (those a program cannot see: branding, design, inconsistencies,
// premise tactics), and detected cue types the author says are not really
// there. Plain data plus validation; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct AuthoredCue {
  std::string type;   // a cue type of core/phish_scale.h
  std::string where;  // what in the message shows it
  bool operator==(const AuthoredCue&) const = default;
};

struct TemplateScale {
  std::string category;      // a library category, or "" (general)
  std::string library_slug;  // the library simulation it came from, or ""
  std::vector<AuthoredCue> cues;
  std::vector<std::string> dismissed;  // cue types
  bool operator==(const TemplateScale&) const = default;
};

// category "" or one of `categories`; library_slug "" or a slug (a-z, 0-9,
// '-', up to 80); at most 40 cues, each of a known type with `where` 1-300
// characters (trimmed); dismissed: known types, no duplicates. Errors name
// the field ("phish_scale.cues[2].type").
Result<void> validate_template_scale(TemplateScale& scale,
                                     std::span<const std::string_view> categories);

}  // namespace phishdrill
