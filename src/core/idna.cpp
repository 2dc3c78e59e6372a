#include "core/idna.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>

#include "core/utf8.h"

namespace phishdrill {

namespace {

struct FreeC {
  void operator()(char* p) const noexcept { std::free(p); }
};
using CString = std::unique_ptr<char, FreeC>;

}  // namespace

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::optional<std::string> domain_to_ascii(std::string_view domain) {
  if (is_ascii(domain)) return std::string(domain);
  if (!is_valid_utf8(domain) || domain.find('\0') != std::string_view::npos) return std::nullopt;
  const std::string input(domain);
  char* output = nullptr;
  const int rc = idn2_to_ascii_8z(input.c_str(), &output, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  CString owned(output);
  if (rc != IDN2_OK || !owned) return std::nullopt;
  return std::string(owned.get());
}

std::optional<std::string> domain_to_unicode(std::string_view domain) {
  const auto ascii = domain_to_ascii(domain);
  if (!ascii) return std::nullopt;
  char* output = nullptr;
  const int rc = idn2_to_unicode_8z8z(ascii->c_str(), &output, 0);
  CString owned(output);
  if (rc != IDN2_OK || !owned) return std::nullopt;
  return std::string(owned.get());
}

}  // namespace phishdrill
