#include "core/registrable_domain.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(RegistrableDomain, GenericEndings) {
  EXPECT_EQ(registrable_domain("example.com"), "example.com");
  EXPECT_EQ(registrable_domain("a.b.Example.COM."), "example.com");
  EXPECT_EQ(registrable_domain("news.example.org"), "example.org");
  EXPECT_EQ(public_suffix("mail.example.org"), "org");
}

TEST(RegistrableDomain, CountryCodeSecondLevels) {
  EXPECT_EQ(registrable_domain("mail.example.co.uk"), "example.co.uk");
  EXPECT_EQ(registrable_domain("www.shop.example.com.au"), "example.com.au");
  EXPECT_EQ(registrable_domain("www.example.de"), "example.de");
  EXPECT_EQ(registrable_domain("www.example.ne.jp"), "example.ne.jp");
  EXPECT_EQ(public_suffix("mail.example.co.uk"), "co.uk");
  EXPECT_EQ(public_suffix("www.example.de"), "de");
}

TEST(RegistrableDomain, HostingSuffixesGiveEachCustomerTheirOwn) {
  EXPECT_EQ(registrable_domain("evil.github.io"), "evil.github.io");
  EXPECT_EQ(registrable_domain("a.b.web.app"), "b.web.app");
  EXPECT_EQ(registrable_domain("contoso.sharepoint.com"), "contoso.sharepoint.com");
  EXPECT_EQ(public_suffix("evil.github.io"), "github.io");
  EXPECT_EQ(registrable_domain("github.io"), "github.io");
}

TEST(RegistrableDomain, ShortNamesAndAddresses) {
  EXPECT_EQ(registrable_domain("localhost"), "localhost");
  EXPECT_EQ(registrable_domain(""), "");
  EXPECT_EQ(registrable_domain("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(public_suffix("192.0.2.1"), "");
  EXPECT_EQ(public_suffix("localhost"), "");
  EXPECT_EQ(registrable_domain("...."), "");
  EXPECT_EQ(registrable_domain(".example.com"), "example.com");
}

TEST(IsSameOrSubdomain, Boundaries) {
  EXPECT_TRUE(is_same_or_subdomain("example.org", "example.org"));
  EXPECT_TRUE(is_same_or_subdomain("Mail.Example.org.", "example.ORG"));
  EXPECT_FALSE(is_same_or_subdomain("badexample.org", "example.org"));
  EXPECT_FALSE(is_same_or_subdomain("example.org.evil.com", "example.org"));
  EXPECT_FALSE(is_same_or_subdomain("example.org", ""));
}

}  // namespace
}  // namespace phishdrill
