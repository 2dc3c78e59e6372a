// Address parsing, CIDR ranges and the classification behind the outbound
// policy.
#include "core/network_address.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

AddressClass kind_of(std::string_view text) {
  auto address = parse_ip(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address ? classify_address(*address) : AddressClass::kReserved;
}

TEST(NetworkAddressTest, ParsesCanonicalLiteralsOnly) {
  EXPECT_EQ(format_ip(*parse_ip("192.0.2.1")), "192.0.2.1");
  EXPECT_EQ(format_ip(*parse_ip("[2001:db8::1]")), "2001:db8::1");
  EXPECT_TRUE(parse_ip("::ffff:127.0.0.1")->v6);
  for (const char* odd : {"2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "1.2.3.4.5", "",
                          "example.com", "256.0.0.1", "[::1"}) {
    EXPECT_FALSE(parse_ip(odd).has_value()) << odd;
  }
}

TEST(NetworkAddressTest, SeesThroughOddIpv4Notations) {
  for (const char* odd : {"2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "0x7f000001"}) {
    auto address = parse_ipv4_any_notation(odd);
    ASSERT_TRUE(address.has_value()) << odd;
    EXPECT_EQ(format_ip(*address), "127.0.0.1") << odd;
  }
  EXPECT_FALSE(parse_ipv4_any_notation("relay.example.com").has_value());
}

TEST(NetworkAddressTest, CidrRanges) {
  const auto ten = parse_cidr("10.0.0.0/8");
  ASSERT_TRUE(ten.has_value());
  EXPECT_TRUE(ten->contains(*parse_ip("10.255.1.2")));
  EXPECT_FALSE(ten->contains(*parse_ip("11.0.0.1")));
  EXPECT_FALSE(ten->contains(*parse_ip("::ffff:10.0.0.1")));  // families differ
  const auto host = parse_cidr("127.0.0.1");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->prefix, 32);
  EXPECT_FALSE(host->contains(*parse_ip("127.0.0.2")));
  const auto odd_prefix = parse_cidr("100.64.0.0/10");
  ASSERT_TRUE(odd_prefix.has_value());
  EXPECT_TRUE(odd_prefix->contains(*parse_ip("100.127.255.255")));
  EXPECT_FALSE(odd_prefix->contains(*parse_ip("100.128.0.0")));
  EXPECT_TRUE(parse_cidr("fd00::/8")->contains(*parse_ip("fd12::1")));
  EXPECT_TRUE(parse_cidr("0.0.0.0/0")->contains(*parse_ip("8.8.8.8")));
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::/129",
                          "relay.example.com/24", "10.0.0.0/-1"}) {
    EXPECT_FALSE(parse_cidr(bad).has_value()) << bad;
  }
}

TEST(NetworkAddressTest, ClassifiesEveryRefusedKind) {
  EXPECT_EQ(kind_of("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(kind_of("127.255.0.9"), AddressClass::kLoopback);
  EXPECT_EQ(kind_of("::1"), AddressClass::kLoopback);
  EXPECT_EQ(kind_of("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(kind_of("0.1.2.3"), AddressClass::kUnspecified);
  EXPECT_EQ(kind_of("::"), AddressClass::kUnspecified);
  EXPECT_EQ(kind_of("169.254.1.1"), AddressClass::kLinkLocal);
  EXPECT_EQ(kind_of("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(kind_of("febf::1"), AddressClass::kLinkLocal);
  for (const char* metadata :
       {"169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"}) {
    EXPECT_EQ(kind_of(metadata), AddressClass::kCloudMetadata) << metadata;
  }
  EXPECT_EQ(kind_of("224.0.0.1"), AddressClass::kMulticast);
  EXPECT_EQ(kind_of("ff02::1"), AddressClass::kMulticast);
  EXPECT_EQ(kind_of("255.255.255.255"), AddressClass::kReserved);
  EXPECT_EQ(kind_of("240.0.0.1"), AddressClass::kReserved);
}

TEST(NetworkAddressTest, EmbeddedIpv4IsClassifiedAsIpv4) {
  EXPECT_EQ(kind_of("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(kind_of("::ffff:169.254.169.254"), AddressClass::kCloudMetadata);
  EXPECT_EQ(kind_of("::127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(kind_of("64:ff9b::10.0.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(kind_of("::ffff:8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(format_ip(unwrap_ipv4(*parse_ip("::ffff:10.1.2.3"))), "10.1.2.3");
}

TEST(NetworkAddressTest, PrivateAndPublic) {
  for (const char* p : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
                        "fc00::1", "fd12:3456::1"}) {
    EXPECT_EQ(kind_of(p), AddressClass::kPrivate) << p;
  }
  for (const char* p :
       {"8.8.8.8", "172.32.0.1", "192.0.2.10", "100.128.0.1", "2001:db8::1", "2a00:1450::1"}) {
    EXPECT_EQ(kind_of(p), AddressClass::kPublic) << p;
  }
}

}  // namespace
}  // namespace phishdrill
