// The outbound policy: defaults per purpose, the admin's allow list, and the
// save-time answer for literal hosts.
#include "core/outbound_policy.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

constexpr auto kSmtp = OutboundPurpose::kSmtpRelay;
constexpr auto kHook = OutboundPurpose::kWebhook;

IpAddress ip(std::string_view text) { return *parse_ip(text); }

TEST(OutboundPolicyTest, DefaultsRefuseInternalTargets) {
  const OutboundPolicy policy;
  for (const char* refused : {"127.0.0.1", "::1", "0.0.0.0", "::", "169.254.169.254",
                              "fd00:ec2::254", "100.100.100.200", "192.0.0.192", "169.254.10.10",
                              "fe80::1", "::ffff:127.0.0.1", "224.0.0.1", "255.255.255.255"}) {
    EXPECT_FALSE(policy.permits(kSmtp, "relay.example.com", ip(refused))) << refused;
    EXPECT_FALSE(policy.permits(kHook, "hooks.example.com", ip(refused))) << refused;
  }
  EXPECT_TRUE(policy.permits(kSmtp, "relay.example.com", ip("93.184.216.34")));
  EXPECT_TRUE(policy.permits(kHook, "hooks.example.com", ip("2606:2800:220:1::1")));
}

TEST(OutboundPolicyTest, PrivateRangesAreForRelaysOnly) {
  const OutboundPolicy policy;
  for (const char* internal : {"10.0.0.5", "192.168.1.10", "172.20.0.1", "100.64.1.1", "fd00::5"}) {
    EXPECT_TRUE(policy.permits(kSmtp, "relay.corp", ip(internal))) << internal;
    EXPECT_FALSE(policy.permits(kHook, "hooks.corp", ip(internal))) << internal;
  }
}

TEST(OutboundPolicyTest, AllowListByRangeAndByHostName) {
  auto policy = OutboundPolicy::parse(" 127.0.0.1/32, ::1 ,10.9.0.0/16,Relay.Internal ");
  ASSERT_TRUE(policy.has_value()) << policy.error().message;
  EXPECT_TRUE(policy->permits(kSmtp, "localhost", ip("127.0.0.1")));
  EXPECT_TRUE(policy->permits(kHook, "localhost", ip("::1")));
  EXPECT_TRUE(policy->permits(kSmtp, "x", ip("::ffff:127.0.0.1")));  // mapped form too
  EXPECT_FALSE(policy->permits(kSmtp, "localhost", ip("127.0.0.2")));
  EXPECT_TRUE(policy->permits(kHook, "hooks.corp", ip("10.9.3.4")));
  EXPECT_FALSE(policy->permits(kHook, "hooks.corp", ip("10.8.3.4")));
  // A listed name may resolve anywhere, and only that name.
  EXPECT_TRUE(policy->permits(kHook, "relay.internal", ip("169.254.169.254")));
  EXPECT_TRUE(policy->permits(kHook, "RELAY.internal.", ip("127.0.0.9")));
  EXPECT_FALSE(policy->permits(kHook, "other.internal", ip("127.0.0.9")));
}

TEST(OutboundPolicyTest, BadAllowListEntriesAreErrors) {
  for (const char* bad : {"10.0.0.1/8", "http://x/", "a b", "10.0.0.0/40"}) {
    EXPECT_FALSE(OutboundPolicy::parse(bad).has_value()) << bad;
  }
  auto empty = OutboundPolicy::parse(" , ");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(OutboundPolicyTest, SaveTimeCheckCatchesLiteralsInAnyNotation) {
  const OutboundPolicy policy;
  for (const char* literal : {"127.0.0.1", "[::1]", "2130706433", "0x7f.0.0.1", "0177.0.0.1",
                              "169.254.169.254", "::ffff:127.0.0.1", "0.0.0.0"}) {
    auto checked = policy.check_host_literal(kSmtp, literal, "host");
    ASSERT_FALSE(checked.has_value()) << literal;
    EXPECT_EQ(checked.error().field, "host");
    EXPECT_EQ(checked.error().code, ErrorCode::kValidation);
  }
  EXPECT_FALSE(policy.check_host_literal(kHook, "10.0.0.1", "url").has_value());
  EXPECT_TRUE(policy.check_host_literal(kSmtp, "10.0.0.1", "host").has_value());
  // Names are checked when resolved, at connect time.
  EXPECT_TRUE(policy.check_host_literal(kSmtp, "localhost", "host").has_value());
  EXPECT_TRUE(policy.check_host_literal(kSmtp, "relay.example.com", "host").has_value());
  auto allowed = OutboundPolicy::parse("127.0.0.0/8");
  EXPECT_TRUE(allowed->check_host_literal(kSmtp, "2130706433", "host").has_value());
}

}  // namespace
}  // namespace phishdrill
