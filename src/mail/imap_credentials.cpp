#include "mail/imap_credentials.h"

#include <algorithm>

#include "core/base64.h"

namespace phishdrill {

std::vector<std::string> imap_secret_forms(std::string_view username, std::string_view password,
                                           std::string_view bearer_token) {
  const std::string user(username);
  std::vector<std::string> forms;
  if (!bearer_token.empty()) {
    const std::string token(bearer_token);
    forms = {token, base64_encode("user=" + user + "\x01" + "auth=Bearer " + token + "\x01\x01"),
             base64_encode(token)};
  } else if (!password.empty()) {
    const std::string secret(password);
    const std::string plain = std::string(1, '\0') + user + std::string(1, '\0') + secret;
    forms = {secret, base64_encode(plain), base64_encode(user + plain), base64_encode(secret)};
  }
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return forms;
}

std::string redact_secrets(std::string text, const std::vector<std::string>& forms) {
  constexpr std::string_view kMask = "[redacted]";
  for (const std::string& secret : forms) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kMask.size())) {
      text.replace(at, secret.size(), kMask);
    }
  }
  return text;
}

}  // namespace phishdrill
