#include "outbound/outbound_guard.h"

#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cstring>
#include <optional>
#include <utility>

namespace phishdrill {
namespace {

std::optional<IpAddress> address_of(const curl_sockaddr& address) {
  IpAddress out;
  if (address.family == AF_INET) {
    sockaddr_in in4{};
    std::memcpy(&in4, &address.addr, sizeof in4);
    std::memcpy(out.bytes.data(), &in4.sin_addr, 4);
    return out;
  }
  if (address.family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address.addr, sizeof in6);
    out.v6 = true;
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    return out;
  }
  return std::nullopt;  // unix sockets and the like: never
}

}  // namespace

OutboundGuard::OutboundGuard(OutboundPolicy policy, OutboundPurpose purpose, std::string host)
    : policy_(std::move(policy)), purpose_(purpose), host_(std::move(host)) {}

void OutboundGuard::install(CURL* curl) {
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &OutboundGuard::open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
}

curl_socket_t OutboundGuard::open_socket(void* self, curlsocktype /*kind*/,
                                         curl_sockaddr* address) {
  auto* guard = static_cast<OutboundGuard*>(self);
  const auto ip = address_of(*address);
  if (!ip || !guard->policy_.permits(guard->purpose_, guard->host_, *ip)) {
    guard->refused_ = true;
    spdlog::warn("event=outbound_refused host={} address={}", guard->host_,
                 ip ? format_ip(*ip) : std::string("unsupported"));
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace phishdrill
