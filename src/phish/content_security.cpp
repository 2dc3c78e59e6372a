#include "phish/content_security.h"

namespace phishdrill::phish {
namespace {

// What every landing page keeps, scripts allowed or not.
constexpr std::string_view kLandingCommon =
    "default-src 'none'; style-src * data: blob: 'unsafe-inline'; img-src * data: blob:; "
    "font-src * data:; media-src * data: blob:; connect-src 'self'; form-action 'self'; "
    "frame-src 'none'; child-src 'none'; worker-src 'none'; object-src 'none'; "
    "manifest-src 'none'; frame-ancestors 'none'; ";

}  // namespace

std::string landing_page_policy(std::string_view nonce, bool allow_page_scripts) {
  std::string policy(kLandingCommon);
  if (allow_page_scripts) {
    policy += "script-src * data: blob: 'unsafe-inline' 'unsafe-eval'";
  } else {
    policy += "script-src 'nonce-";
    policy += nonce;
    policy += "'";
  }
  return policy;
}

std::string_view teaching_page_policy() {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; "
         "base-uri 'none'; frame-ancestors 'none'";
}

std::string_view default_phish_policy() {
  return "default-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
}

}  // namespace phishdrill::phish
