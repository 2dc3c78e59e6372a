#include "mail/imap_credentials.h"

#include <algorithm>

namespace phishdrill {
namespace {

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::vector<std::string> imap_secret_forms(std::string_view username, std::string_view password,
                                           std::string_view bearer_token) {
  const std::string user(username);
  std::vector<std::string> forms;
  if (!bearer_token.empty()) {
    const std::string token(bearer_token);
    forms = {token, base64("user=" + user + "\x01" + "auth=Bearer " + token + "\x01\x01"),
             base64(token)};
  } else if (!password.empty()) {
    const std::string secret(password);
    const std::string plain = std::string(1, '\0') + user + std::string(1, '\0') + secret;
    forms = {secret, base64(plain), base64(user + plain), base64(secret)};
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
