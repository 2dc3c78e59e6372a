#include "core/form_capture.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/utf8.h"

namespace phishdrill {

bool is_secret_field_name(std::string_view name) {
  std::string n;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  // Over-matching is safe (a harmless value is merely not kept); missing a
  // secret is not. "pw" is matched only as a whole name.
  static constexpr std::array<std::string_view, 20> kSecretParts = {
      "pass", "pwd", "pin",  "otp",    "token",  "secret",  "card",
      "cvv",  "cvc", "ssn",  "social", "credit", "iban",    "account",
      "mfa",  "2fa", "code", "answer", "key",    "security"};
  if (n == "pw") return true;
  return std::any_of(kSecretParts.begin(), kSecretParts.end(),
                     [&](std::string_view part) { return n.find(part) != std::string::npos; });
}

CapturedSubmission capture_submission(const FormFields& fields, CapturePolicy policy,
                                      const std::set<std::string>& password_inputs) {
  CapturedSubmission out;
  if (policy == CapturePolicy::kNone) return out;
  for (const auto& [name, value] : fields) {
    if (value.empty() || name.empty() || name.size() > 100 || !is_valid_utf8(name)) continue;
    if (std::find(out.filled.begin(), out.filled.end(), name) == out.filled.end()) {
      out.filled.push_back(name);
    }
    const bool secret = password_inputs.contains(name) || is_secret_field_name(name);
    if (policy == CapturePolicy::kValues && !secret && is_valid_utf8(value)) {
      std::string kept = value.substr(0, 200);
      while (!kept.empty() && !is_valid_utf8(kept)) kept.pop_back();
      out.kept.emplace_back(name, std::move(kept));
    }
  }
  return out;
}

}  // namespace phishdrill
