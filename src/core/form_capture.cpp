#include "core/form_capture.h"

#include <algorithm>

#include "core/secret_fields.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

bool may_keep_value(const std::string& name, const LandingPage& page,
                    const std::set<std::string>& secret_inputs) {
  return std::find(page.safe_fields.begin(), page.safe_fields.end(), name) !=
             page.safe_fields.end() &&
         !secret_inputs.contains(name) && !is_secret_field_name(name);
}

}  // namespace

CapturedSubmission capture_submission(const FormFields& fields, const LandingPage& page,
                                      const std::set<std::string>& secret_inputs) {
  CapturedSubmission out;
  if (page.capture == CapturePolicy::kNone) return out;
  for (const auto& [name, value] : fields) {
    if (value.empty() || name.empty() || name.size() > 100 || !is_valid_utf8(name)) continue;
    if (std::find(out.filled.begin(), out.filled.end(), name) == out.filled.end()) {
      out.filled.push_back(name);
    }
    if (page.capture == CapturePolicy::kValues && is_valid_utf8(value) &&
        may_keep_value(name, page, secret_inputs)) {
      out.kept.emplace_back(name, std::string(utf8_prefix(value, 200)));
    }
  }
  return out;
}

}  // namespace phishdrill
