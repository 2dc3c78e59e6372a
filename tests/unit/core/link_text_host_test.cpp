#include "core/link_text_host.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(HostNamedByText, Urls) {
  EXPECT_EQ(host_named_by_text("https://www.PayPal.com/signin"), "www.paypal.com");
  EXPECT_EQ(host_named_by_text("Open <https://portal.example.org/x> now"), "portal.example.org");
}

TEST(HostNamedByText, BareDomains) {
  EXPECT_EQ(host_named_by_text("www.example.org"), "www.example.org");
  EXPECT_EQ(host_named_by_text("Log in at example.org/login."), "example.org");
  EXPECT_EQ(host_named_by_text("bank.co.uk"), "bank.co.uk");
  EXPECT_EQ(host_named_by_text("www.example.museum"), "www.example.museum");
}

TEST(HostNamedByText, NotDomains) {
  EXPECT_EQ(host_named_by_text("Click here"), "");
  EXPECT_EQ(host_named_by_text("index.html"), "");
  EXPECT_EQ(host_named_by_text("version 1.2.3"), "");
  EXPECT_EQ(host_named_by_text("example.museum"), "");  // an ending we do not know, without www.
  EXPECT_EQ(host_named_by_text("help@example.org"), "");
  EXPECT_EQ(host_named_by_text("e.g. this"), "");
  EXPECT_EQ(host_named_by_text("a..com"), "");
  EXPECT_EQ(host_named_by_text(""), "");
}

TEST(HostNamedByText, HostileInput) {
  EXPECT_EQ(host_named_by_text("\xFF\xFE.com"), "\xFF\xFE.com");
  EXPECT_EQ(host_named_by_text(std::string(5000, 'a') + " example.org"), "");  // past 4 KiB
  EXPECT_EQ(host_named_by_text(std::string(100 * 1024, ' ')), "");
}

}  // namespace
}  // namespace phishdrill
