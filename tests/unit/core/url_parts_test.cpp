#include "core/url_parts.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(SplitUrl, Parts) {
  const std::string url = "HTTPS://Mail.Example.ORG:8443/a/b?x=1&y=2#top";
  const UrlParts parts = split_url(url);
  EXPECT_EQ(parts.scheme, "https");
  EXPECT_EQ(parts.host, "mail.example.org");
  EXPECT_EQ(parts.path, "/a/b");
  EXPECT_EQ(parts.query, "x=1&y=2");
  EXPECT_EQ(parts.fragment, "top");
}

TEST(SplitUrl, HostAsABrowserReadsIt) {
  EXPECT_EQ(link_host("https://bank.example@evil.example/login"), "evil.example");
  EXPECT_EQ(link_host("https://user:pw@evil.example:8080"), "evil.example");
  EXPECT_EQ(link_host("https:\\\\evil.example\\path"), "evil.example");
  EXPECT_EQ(link_host("//evil.example/x"), "evil.example");
  EXPECT_EQ(link_host("https://example.org./"), "example.org");
  EXPECT_EQ(link_host("https://[2001:db8::1]:443/"), "2001:db8::1");
  EXPECT_EQ(link_host("https://evil.example?x=1"), "evil.example");
  EXPECT_EQ(link_host("https://%65vil.example/"), "evil.example");
}

TEST(SplitUrl, NoHost) {
  EXPECT_EQ(link_host("mailto:ada@example.org"), "");
  EXPECT_EQ(link_host("cid:image001.png@01D9"), "");
  EXPECT_EQ(link_host("/relative/path"), "");
  EXPECT_EQ(link_host("#anchor"), "");
  EXPECT_EQ(link_host(""), "");
  EXPECT_EQ(split_url("mailto:ada@example.org").scheme, "mailto");
  EXPECT_EQ(split_url("1http://x").scheme, "");  // a scheme starts with a letter
}

TEST(SplitUrl, HostileInput) {
  EXPECT_EQ(link_host("https://[::1"), "::1");
  EXPECT_EQ(link_host("https://ex%FFample.com/"), "ex%ffample.com");
  EXPECT_EQ(link_host("https://a%0Ab.example/"), "a%0ab.example");
  const std::string huge = "https://" + std::string(100 * 1024, 'a') + ".example/";
  EXPECT_EQ(link_host(huge).size(), 100u * 1024 + 8);
}

}  // namespace
}  // namespace phishdrill
