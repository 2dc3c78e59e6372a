#include "net/client_address.h"

#include <boost/asio/ip/address.hpp>

namespace phishdrill::net {

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::set<std::string>& trusted_proxies) {
  if (forwarded_for.empty() || !trusted_proxies.contains(std::string(peer))) {
    return std::string(peer);
  }
  std::string_view last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(last), ec);
  if (ec) return std::string(peer);
  return address.to_string();
}

}  // namespace phishdrill::net
