#include "core/network_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace phishdrill {
namespace {

std::optional<IpAddress> from_v4_bytes(const in_addr& raw) {
  IpAddress out;
  std::memcpy(out.bytes.data(), &raw, 4);
  return out;
}

bool all_zero(const IpAddress& a, std::size_t from, std::size_t to) {
  return std::all_of(a.bytes.begin() + static_cast<std::ptrdiff_t>(from),
                     a.bytes.begin() + static_cast<std::ptrdiff_t>(to),
                     [](std::uint8_t b) { return b == 0; });
}

bool in(const IpAddress& a, std::string_view cidr) { return parse_cidr(cidr)->contains(a); }

AddressClass classify_v4(const IpAddress& a) {
  for (const auto* metadata : {"169.254.169.254/32", "100.100.100.200/32", "192.0.0.192/32"}) {
    if (in(a, metadata)) return AddressClass::kCloudMetadata;
  }
  if (in(a, "0.0.0.0/8")) return AddressClass::kUnspecified;
  if (in(a, "127.0.0.0/8")) return AddressClass::kLoopback;
  if (in(a, "169.254.0.0/16")) return AddressClass::kLinkLocal;
  if (in(a, "224.0.0.0/4")) return AddressClass::kMulticast;
  if (in(a, "240.0.0.0/4")) return AddressClass::kReserved;
  for (const auto* range : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}) {
    if (in(a, range)) return AddressClass::kPrivate;
  }
  return AddressClass::kPublic;
}

AddressClass classify_v6(const IpAddress& a) {
  if (in(a, "fd00:ec2::254/128")) return AddressClass::kCloudMetadata;
  if (in(a, "::/128")) return AddressClass::kUnspecified;
  if (in(a, "::1/128")) return AddressClass::kLoopback;
  if (in(a, "fe80::/10")) return AddressClass::kLinkLocal;
  if (in(a, "ff00::/8")) return AddressClass::kMulticast;
  if (in(a, "fc00::/7")) return AddressClass::kPrivate;
  return AddressClass::kPublic;
}

}  // namespace

IpAddress IpAddress::v4_of(std::uint32_t host_order) {
  IpAddress out;
  for (int i = 0; i < 4; ++i) {
    out.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(host_order >> (24 - 8 * i));
  }
  return out;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string copy(text);
  if (copy.find(':') != std::string::npos) {
    in6_addr raw{};
    if (inet_pton(AF_INET6, copy.c_str(), &raw) != 1) return std::nullopt;
    IpAddress out;
    out.v6 = true;
    std::memcpy(out.bytes.data(), &raw, 16);
    return out;
  }
  in_addr raw{};
  if (inet_pton(AF_INET, copy.c_str(), &raw) != 1) return std::nullopt;
  return from_v4_bytes(raw);
}

std::optional<IpAddress> parse_ipv4_any_notation(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  in_addr raw{};
  if (inet_aton(copy.c_str(), &raw) == 0) return std::nullopt;
  return from_v4_bytes(raw);
}

std::string format_ip(const IpAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), buffer, sizeof buffer);
  return buffer;
}

IpAddress unwrap_ipv4(const IpAddress& address) {
  if (!address.v6) return address;
  const auto& b = address.bytes;
  const bool mapped = all_zero(address, 0, 10) && b[10] == 0xff && b[11] == 0xff;
  // ::a.b.c.d, but not :: and ::1 themselves.
  const bool compatible = all_zero(address, 0, 12) && !all_zero(address, 12, 15);
  const bool nat64 =
      b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && all_zero(address, 4, 12);
  if (!mapped && !compatible && !nat64) return address;
  IpAddress out;
  std::copy(b.begin() + 12, b.end(), out.bytes.begin());
  return out;
}

bool CidrRange::contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  int bits = prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((address.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<CidrRange> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  auto base = parse_ip(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int width = base->v6 ? 128 : 32;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > width) {
      return std::nullopt;
    }
  }
  // Host bits must be zero: "10.0.0.1/8" is more likely a typo than a range.
  for (int bit = prefix; bit < width; ++bit) {
    if (base->bytes[static_cast<std::size_t>(bit / 8)] & (0x80 >> (bit % 8))) return std::nullopt;
  }
  return CidrRange{*base, prefix};
}

std::string_view address_class_name(AddressClass kind) {
  switch (kind) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kCloudMetadata:
      return "cloud metadata";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kReserved:
      return "reserved";
  }
  return "reserved";
}

AddressClass classify_address(const IpAddress& address) {
  const IpAddress plain = unwrap_ipv4(address);
  return plain.v6 ? classify_v6(plain) : classify_v4(plain);
}

}  // namespace phishdrill
