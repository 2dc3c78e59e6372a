#include "core/outbound_policy.h"

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "core/text_rules.h"

namespace phishdrill {
namespace {

std::string without_brackets_or_dot(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  while (host.ends_with('.')) host.remove_suffix(1);
  return ascii_lowercase(host);
}

bool is_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::ranges::all_of(name, [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_';
  });
}

}  // namespace

Result<OutboundPolicy> OutboundPolicy::parse(std::string_view allow_list) {
  OutboundPolicy policy;
  std::size_t start = 0;
  while (start <= allow_list.size()) {
    const auto comma = std::min(allow_list.find(',', start), allow_list.size());
    const std::string item = trim(allow_list.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    if (auto range = parse_cidr(item)) {
      policy.ranges_.push_back(*range);
    } else if (item.find_first_of(":/") == std::string::npos && is_host_name(item)) {
      policy.hosts_.insert(without_brackets_or_dot(item));
    } else {
      return fail(ErrorCode::kValidation,
                  "outbound.allow: \"" + item +
                      "\" is neither a host name, an address nor a CIDR range such as "
                      "10.0.0.0/8 (host bits zero)");
    }
  }
  return policy;
}

bool OutboundPolicy::permits(OutboundPurpose purpose, std::string_view host_name,
                             const IpAddress& address) const {
  if (hosts_.contains(without_brackets_or_dot(host_name))) return true;
  const IpAddress plain = unwrap_ipv4(address);
  for (const auto& range : ranges_) {
    if (range.contains(address) || range.contains(plain)) return true;
  }
  switch (classify_address(address)) {
    case AddressClass::kPublic:
      return true;
    case AddressClass::kPrivate:
      return purpose == OutboundPurpose::kSmtpRelay;
    default:
      return false;
  }
}

Result<void> OutboundPolicy::check_host_literal(OutboundPurpose purpose, std::string_view host,
                                                std::string_view field) const {
  const std::string name = without_brackets_or_dot(host);
  auto address = parse_ip(name);
  if (!address) address = parse_ipv4_any_notation(name);
  if (!address || permits(purpose, host, *address)) return {};
  const AddressClass kind = classify_address(*address);
  return fail(ErrorCode::kValidation,
              std::string(field) + " is a " + std::string(address_class_name(kind)) + " address (" +
                  format_ip(*address) +
                  "); Phishdrill does not connect there unless an admin lists it in "
                  "[outbound] allow",
              std::string(field));
}

std::string outbound_refusal_message(std::string_view host) {
  return "refused to connect to " + std::string(host) +
         ": it resolves to an address outbound connections may not reach (loopback, "
         "link-local, cloud metadata, or private for webhooks) and is not in [outbound] allow";
}

}  // namespace phishdrill
