#include "core/template_scale.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/phish_scale.h"
#include "core/slug.h"
#include "core/text_rules.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxCues = 40;
constexpr std::size_t kMaxWhere = 300;
Result<void> invalid(std::string message, std::string field) {
  return fail(ErrorCode::kValidation, std::move(message), std::move(field));
}

}  // namespace

Result<void> validate_template_scale(TemplateScale& scale,
                                     std::span<const std::string_view> categories) {
  if (!scale.category.empty() &&
      std::ranges::find(categories, scale.category) == categories.end()) {
    return invalid("not a library category", "phish_scale.category");
  }
  if (!scale.library_slug.empty() && !is_slug(scale.library_slug)) {
    return invalid("a library slug is a-z, 0-9 and inner '-', up to 64",
                   "phish_scale.library_slug");
  }
  if (scale.cues.size() > kMaxCues) return invalid("at most 40 cues", "phish_scale.cues");
  for (std::size_t i = 0; i < scale.cues.size(); ++i) {
    AuthoredCue& cue = scale.cues[i];
    const std::string field = fmt::format("phish_scale.cues[{}]", i);
    if (!is_cue_type(cue.type)) return invalid("not a Phish Scale cue type", field + ".type");
    cue.where = trim(cue.where);
    if (cue.where.empty() || !is_valid_utf8(cue.where) || has_control_chars(cue.where) ||
        utf8_length(cue.where) > kMaxWhere) {
      return invalid("say where the message shows it, in 1 to 300 characters", field + ".where");
    }
  }
  std::vector<std::string> seen;
  for (const std::string& type : scale.dismissed) {
    if (!is_cue_type(type)) return invalid("not a Phish Scale cue type", "phish_scale.dismissed");
    if (std::ranges::find(seen, type) != seen.end()) {
      return invalid("a cue type is dismissed once", "phish_scale.dismissed");
    }
    seen.push_back(type);
  }
  return {};
}

}  // namespace phishdrill
