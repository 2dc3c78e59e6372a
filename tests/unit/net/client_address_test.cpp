#include "net/client_address.h"

#include <gtest/gtest.h>

namespace phishdrill::net {
namespace {

const std::set<std::string> kProxies{"10.0.0.5"};

TEST(ClientAddress, ThePeerWhenItIsNoTrustedProxy) {
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", kProxies), "203.0.113.9");
  EXPECT_EQ(client_address("203.0.113.9", "", {}), "203.0.113.9");
}

TEST(ClientAddress, TheLastForwardedEntryBehindATrustedProxy) {
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3.4, 198.51.100.1", kProxies), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.5", " 2001:db8::1 ", kProxies), "2001:db8::1");
}

TEST(ClientAddress, ThePeerWhenTheProxySentNothingUsable) {
  EXPECT_EQ(client_address("10.0.0.5", "", kProxies), "10.0.0.5");
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3.4, not-an-ip", kProxies), "10.0.0.5");
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3.4,\n1.1.1.1", kProxies), "10.0.0.5");
}

}  // namespace
}  // namespace phishdrill::net
