#include "service/reporting/report_fingerprint.h"

#include "core/ascii.h"
#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

bool strip_prefix(std::string& subject) {
  for (const std::string_view prefix : {"re:", "fw:", "fwd:", "aw:", "wg:", "tr:", "sv:"}) {
    if (subject.starts_with(prefix)) {
      subject.erase(0, prefix.size());
      while (!subject.empty() && subject.front() == ' ') subject.erase(0, 1);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string normalised_subject(std::string_view subject) {
  std::string spaced;
  bool space = false;
  for (const char c : subject) {
    const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (blank) {
      space = !spaced.empty();
      continue;
    }
    if (space) spaced += ' ';
    space = false;
    spaced += c;
  }
  std::string lowered = ascii_lowercase(spaced);
  while (strip_prefix(lowered)) {
  }
  return lowered;
}

std::string report_fingerprint(const ReportedMessage& message) {
  const std::string subject = normalised_subject(message.subject);
  if (!message.from_address.empty() || !subject.empty()) {
    return "s:" + crypto::hash_token(ascii_lowercase(message.from_address) + "\n" + subject);
  }
  if (!message.message_id.empty()) return "m:" + crypto::hash_token(message.message_id);
  return "t:" + crypto::hash_token(message.text.substr(0, 4096));
}

}  // namespace phishdrill::service
