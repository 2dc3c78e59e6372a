// Network addresses for outbound connections: IPv4/IPv6 values, CIDR ranges
// and the classification that decides whether Phishdrill may connect to an
// address (loopback, link-local, cloud metadata, private ...). Pure functions
// and value types; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// An IPv4 or IPv6 address; IPv4 uses the first four bytes.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};

  static IpAddress v4_of(std::uint32_t host_order);
  bool operator==(const IpAddress&) const = default;
};

// Canonical dotted-quad IPv4 ("192.0.2.1") or IPv6 text ("::1", "[::1]").
std::optional<IpAddress> parse_ip(std::string_view text);

// Any notation an address resolver would take as an IPv4 literal: also
// "2130706433", "0x7f.1", "0177.0.0.1". Used to see through odd notations.
std::optional<IpAddress> parse_ipv4_any_notation(std::string_view text);

std::string format_ip(const IpAddress& address);

// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
// (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address; itself otherwise.
IpAddress unwrap_ipv4(const IpAddress& address);

struct CidrRange {
  IpAddress base;
  int prefix = 0;

  bool contains(const IpAddress& address) const;
};

// "10.0.0.0/8", "fd00::/8" or a bare address (a /32 or /128). Host bits must
// be zero.
std::optional<CidrRange> parse_cidr(std::string_view text);

enum class AddressClass {
  kPublic,
  kPrivate,        // RFC 1918, CGNAT 100.64/10, ULA fc00::/7
  kLoopback,       // 127/8, ::1
  kUnspecified,    // 0.0.0.0/8, ::
  kLinkLocal,      // 169.254/16, fe80::/10
  kCloudMetadata,  // 169.254.169.254, fd00:ec2::254, 100.100.100.200, 192.0.0.192
  kMulticast,      // 224/4, ff00::/8
  kReserved,       // 240/4 (with the broadcast address)
};

std::string_view address_class_name(AddressClass kind);

// Classifies an address after unwrapping embedded IPv4 forms.
AddressClass classify_address(const IpAddress& address);

}  // namespace phishdrill
