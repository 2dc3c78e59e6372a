#include "core/lookalike_domain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/code_points.h"

namespace phishdrill {
namespace {

const std::vector<std::string> kOurs = {"example.org", "acme-payroll.co.uk"};

std::string how(std::string_view domain) {
  const auto found = find_lookalike(domain, kOurs);
  return found ? found->how : "";
}

TEST(FindLookalike, OurOwnDomainsAreNot) {
  EXPECT_EQ(find_lookalike("example.org", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("Mail.EXAMPLE.org.", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("www.acme-payroll.co.uk", kOurs), std::nullopt);
}

TEST(FindLookalike, UnrelatedDomainsAreNot) {
  for (const std::string_view domain :
       {"wikipedia.org", "mailchimp.com", "sample.net", "exam.org", "github.io", "amplexe.org"}) {
    EXPECT_EQ(find_lookalike(domain, kOurs), std::nullopt) << domain;
  }
}

TEST(FindLookalike, ConfusableAsciiCharacters) {
  EXPECT_EQ(how("exarnple.org"),
            "swaps characters that look alike (such as \"rn\" for \"m\" or \"0\" for \"o\")");
  EXPECT_NE(how("examp1e.org"), "");
  EXPECT_NE(how("exampie.com"), "");
  EXPECT_NE(how("acrne-payroll.co.uk"), "");
  const auto found = find_lookalike("EXAMP1E.ORG", kOurs);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->own_domain, "example.org");
}

TEST(FindLookalike, HomoglyphsOfOtherAlphabets) {
  // Cyrillic "е" (U+0435) for "e", as Unicode and as the A-label mail shows.
  EXPECT_EQ(how("\xD0\xB5xample.org"), "uses letters of another alphabet that look like ours");
  EXPECT_EQ(how("xn--xample-2of.org"), "uses letters of another alphabet that look like ours");
  // Cyrillic "а" (U+0430) under another ending.
  EXPECT_EQ(how("xn--exmple-4nf.com"), "uses letters of another alphabet that look like ours");
  // Greek omicron (U+03BF) for "o" in a label of ours with a hyphen.
  EXPECT_EQ(how("acme-payr\xCE\xBFll.co.uk"),
            "uses letters of another alphabet that look like ours");
  // An accent added: "exämple".
  EXPECT_NE(how("xn--exmple-cua.org"), "");
}

TEST(FindLookalike, OneEditAway) {
  const std::string expected = "is one typing edit away from our name";
  EXPECT_EQ(how("exmple.org"), expected);    // deleted
  EXPECT_EQ(how("examples.org"), expected);  // inserted
  EXPECT_EQ(how("exanple.org"), expected);   // substituted
  EXPECT_EQ(how("exmaple.org"), expected);   // transposed
  EXPECT_EQ(how("acme-payrol.com"), expected);
  EXPECT_EQ(how("exmpl.org"), "");  // two edits
}

TEST(FindLookalike, OurNameWithWordsAdded) {
  const std::string expected = "adds words to our name";
  EXPECT_EQ(how("example-secure.com"), expected);
  EXPECT_EQ(how("login-example.net"), expected);
  EXPECT_EQ(how("secure-examp1e-login.com"), expected);
  EXPECT_EQ(how("examplesupport.com"), expected);
  EXPECT_EQ(how("myexample.org"), expected);
}

TEST(FindLookalike, OurNameUnderAnotherEnding) {
  EXPECT_EQ(how("example.net"), "has our name under another ending");
  EXPECT_EQ(how("mail.example.co"), "has our name under another ending");
  EXPECT_EQ(how("acme-payroll.com"), "has our name under another ending");
}

TEST(FindLookalike, OurNameInFrontOfAnotherDomain) {
  EXPECT_EQ(how("example.org.account-check.com"), "puts our name in front of another domain");
  EXPECT_EQ(how("example.login-verify.net"), "puts our name in front of another domain");
  EXPECT_EQ(how("example.secure-login.web.app"), "puts our name in front of another domain");
  EXPECT_EQ(how("www.example-shop.org.evil"), "puts our name in front of another domain");
}

TEST(FindLookalike, ShortNamesNeedMoreThanOneEdit) {
  const std::vector<std::string> short_ours = {"abc.org"};
  EXPECT_EQ(find_lookalike("abd.org", short_ours), std::nullopt);
  EXPECT_EQ(find_lookalike("abcnews.com", short_ours), std::nullopt);
  ASSERT_TRUE(find_lookalike("abc.net", short_ours));
}

TEST(FindLookalike, HostileInput) {
  EXPECT_EQ(find_lookalike("", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("localhost", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("192.0.2.1", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("0x7f.1", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("\xFF\xFE.org", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("xn--zzzzzzzzzzzzzz.org", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike(std::string(300, 'a') + ".org", kOurs), std::nullopt);
  EXPECT_EQ(find_lookalike("example.org", {}), std::nullopt);
  EXPECT_EQ(find_lookalike("example.org", {"", "not a domain"}), std::nullopt);
}

TEST(ConfusableSkeleton, Mappings) {
  EXPECT_EQ(to_utf8(confusable_skeleton(to_code_points("rnicr0soft"))), "mlcrosoft");
  EXPECT_EQ(to_utf8(confusable_skeleton(to_code_points("vvell"))), "well");
  EXPECT_EQ(to_utf8(confusable_skeleton(to_code_points("clown"))), "down");
  EXPECT_EQ(to_utf8(confusable_skeleton(to_code_points("p\xD0\xB0yp\xCE\xB1l"))), "paypal");
  EXPECT_EQ(to_utf8(confusable_skeleton(to_code_points("b\xC3\xBC"
                                                       "cher"))),
            "bucher");
}

}  // namespace
}  // namespace phishdrill
