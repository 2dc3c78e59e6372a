#include "core/authentication_results.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(AuthenticationResults, ATypicalHeader) {
  const auto results = parse_authentication_results(
      "mx.google.com;\r\n       dkim=pass header.i=@news.example.com header.s=s1 header.b=abc;\r\n"
      "       spf=pass (google.com: domain of bounce@mail.example.com designates 192.0.2.1 as "
      "permitted sender) smtp.mailfrom=bounce@mail.example.com;\r\n"
      "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com");
  EXPECT_EQ(results.authserv_id, "mx.google.com");
  EXPECT_EQ(results.spf.outcome, AuthOutcome::kPass);
  EXPECT_EQ(results.spf.domain, "mail.example.com");
  EXPECT_EQ(results.dkim.outcome, AuthOutcome::kPass);
  EXPECT_EQ(results.dkim.domain, "news.example.com");
  EXPECT_EQ(results.dmarc.outcome, AuthOutcome::kPass);
  EXPECT_EQ(results.dmarc.domain, "example.com");
}

TEST(AuthenticationResults, FailuresAndVersions) {
  const auto results = parse_authentication_results(
      "mx.example.org 1; spf=softfail smtp.mailfrom=evil.test; dkim/1=fail (bad signature) "
      "header.d=evil.test; dmarc=FAIL header.from=example.org");
  EXPECT_EQ(results.authserv_id, "mx.example.org");
  EXPECT_EQ(results.spf.outcome, AuthOutcome::kSoftFail);
  EXPECT_EQ(results.spf.domain, "evil.test");
  EXPECT_EQ(results.dkim.outcome, AuthOutcome::kFail);
  EXPECT_EQ(results.dmarc.outcome, AuthOutcome::kFail);
  EXPECT_EQ(results.dmarc.domain, "example.org");
}

TEST(AuthenticationResults, CommentsQuotesAndSpacingAreSkipped) {
  const auto results = parse_authentication_results(
      "mx.example.org (our (nested; \"x\") relay); spf = none (no record; \\) still comment) "
      "smtp.mailfrom = \"odd;name\"@evil.test reason=\"dkim=pass; dmarc=pass\"; "
      "dkim=none; dmarc=none(p=none)header.from=evil.test");
  EXPECT_EQ(results.authserv_id, "mx.example.org");
  EXPECT_EQ(results.spf.outcome, AuthOutcome::kNone);
  EXPECT_EQ(results.dkim.outcome, AuthOutcome::kNone);
  EXPECT_EQ(results.dmarc.outcome, AuthOutcome::kNone);
  EXPECT_EQ(results.dmarc.domain, "evil.test");
  EXPECT_EQ(results.spf.domain, "evil.test");
}

TEST(AuthenticationResults, AnyDkimPassCounts) {
  const auto one_good = parse_authentication_results(
      "mx; dkim=fail header.d=a.example; dkim=pass header.d=b.example; dkim=neutral");
  EXPECT_EQ(one_good.dkim.outcome, AuthOutcome::kPass);
  EXPECT_EQ(one_good.dkim.domain, "b.example");
  const auto none_good =
      parse_authentication_results("mx; dkim=neutral; dkim=fail header.d=c.example");
  EXPECT_EQ(none_good.dkim.outcome, AuthOutcome::kFail);
  EXPECT_EQ(none_good.dkim.domain, "c.example");
}

TEST(AuthenticationResults, NoResultsAndOtherMethods) {
  const auto none = parse_authentication_results("mx.example.org; none");
  EXPECT_EQ(none.authserv_id, "mx.example.org");
  EXPECT_EQ(none.spf.outcome, AuthOutcome::kAbsent);
  EXPECT_EQ(none.dkim.outcome, AuthOutcome::kAbsent);
  EXPECT_EQ(none.dmarc.outcome, AuthOutcome::kAbsent);
  const auto other = parse_authentication_results(
      "mx; arc=pass; iprev=fail policy.iprev=192.0.2.1; spf=temperror; dmarc=bestguesspass");
  EXPECT_EQ(other.dkim.outcome, AuthOutcome::kAbsent);
  EXPECT_EQ(other.spf.outcome, AuthOutcome::kTempError);
  EXPECT_EQ(other.dmarc.outcome, AuthOutcome::kUnknown);
}

TEST(AuthenticationResults, UnreadableResultWordIsUnknown) {
  EXPECT_EQ(parse_authentication_results("mx; spf=\xC0\xAF").spf.outcome, AuthOutcome::kUnknown);
}

TEST(AuthenticationResults, FieldNameIsTolerated) {
  const auto results = parse_authentication_results("Authentication-Results: mx; dmarc=pass");
  EXPECT_EQ(results.authserv_id, "mx");
  EXPECT_EQ(results.dmarc.outcome, AuthOutcome::kPass);
}

TEST(AuthenticationResults, GarbageIsAbsent) {
  for (const std::string& value :
       {std::string(), std::string(";;;;"), std::string("(((("), std::string("\"unclosed"),
        std::string("mx; spf"), std::string("mx; spf="), std::string("mx; =pass"),
        std::string("\xFF\xFE; \xC0\xAF=\xC0"), std::string(1 << 20, '('),
        std::string(1 << 20, ';')}) {
    const auto results = parse_authentication_results(value);
    EXPECT_EQ(results.spf.outcome, AuthOutcome::kAbsent);
    EXPECT_EQ(results.dkim.outcome, AuthOutcome::kAbsent);
    EXPECT_EQ(results.dmarc.outcome, AuthOutcome::kAbsent);
  }
}

TEST(AuthenticationResults, ReadsOnlyTheFirst16KiB) {
  const std::string padding = "mx; x-note=\"" + std::string(20 * 1024, 'a') + "\"; ";
  EXPECT_EQ(parse_authentication_results(padding + "dmarc=fail").dmarc.outcome,
            AuthOutcome::kAbsent);
  EXPECT_EQ(
      parse_authentication_results("mx; dmarc=fail; " + std::string(20 * 1024, ' ')).dmarc.outcome,
      AuthOutcome::kFail);
}

TEST(AuthOutcomeName, Names) {
  EXPECT_STREQ(auth_outcome_name(AuthOutcome::kAbsent), "");
  EXPECT_STREQ(auth_outcome_name(AuthOutcome::kSoftFail), "softfail");
  EXPECT_STREQ(auth_outcome_name(AuthOutcome::kPermError), "permerror");
}

}  // namespace
}  // namespace phishdrill
