#include "service/reporting/report_button.h"

#include <charconv>

#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

constexpr const char* kTokenDomain = "report-button";

std::string mac_of(const SecretKey& key, std::int64_t workspace_id) {
  return crypto::keyed_mac(key, kTokenDomain, std::to_string(workspace_id));
}

}  // namespace

std::string report_button_token(const SecretKey& key, std::int64_t workspace_id) {
  return std::to_string(workspace_id) + "." + mac_of(key, workspace_id);
}

std::optional<std::int64_t> report_button_workspace(const SecretKey& key, std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return std::nullopt;
  std::int64_t workspace_id = 0;
  const auto digits = token.substr(0, dot);
  const auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), workspace_id);
  if (ec != std::errc() || end != digits.data() + digits.size() || workspace_id <= 0) {
    return std::nullopt;
  }
  // One spelling per workspace: "01" is not the id the token was issued for.
  if (digits != std::to_string(workspace_id)) return std::nullopt;
  if (!crypto::constant_time_equal(token.substr(dot + 1), mac_of(key, workspace_id))) {
    return std::nullopt;
  }
  return workspace_id;
}

std::string report_button_addin_id(const SecretKey& key, std::int64_t workspace_id) {
  const std::string hex = crypto::hmac_sha256_hex(
      crypto::keyed_mac(key, "addin-id", std::to_string(workspace_id)), "outlook-addin");
  std::string id = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-8" +
                   hex.substr(17, 3) + "-" + hex.substr(20, 12);
  return id;
}

std::string report_button_message(std::string_view outcome) {
  if (outcome == "simulation" || outcome == "simulation_ended") {
    return "Well spotted: this was a phishing simulation from your security team. "
           "Thank you for reporting it.";
  }
  if (outcome == "simulation_other") {
    return "This was a phishing simulation sent to someone else. Thank you for reporting it.";
  }
  if (outcome == "duplicate") return "You have already reported this message. Thank you.";
  if (outcome == "refused") {
    return "Thank you. We could not read this message, so the security team will look at it "
           "by hand.";
  }
  return "Thank you for reporting this message. The security team will look at it. Until "
         "then, please don't click its links, open its attachments or reply to it.";
}

}  // namespace phishdrill::service
