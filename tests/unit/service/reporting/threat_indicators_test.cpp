// Threat indicators (service/reporting/threat_indicators.h): gathered from
// the reports operators judged a threat only (on every store backend),
// deduplicated with how many reports carried each and when they were first
// and last seen; exported as CSV with formula-like cells neutralised and as
// a STIX 2.1 bundle whose indicator ids are stable across exports and whose
// patterns escape quotes.
#include "service/reporting/threat_indicators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "service/reporting/reporting_fixture.h"
#include "service/reporting/triage.h"

namespace phishdrill::service {
namespace {

namespace json = boost::json;

using ByValue = std::map<std::string, ThreatIndicator>;  // "type value" -> indicator

ByValue by_value(const std::vector<ThreatIndicator>& indicators) {
  ByValue out;
  for (const auto& i : indicators) {
    EXPECT_TRUE(out.emplace(i.type + " " + i.value, i).second) << "listed twice: " << i.value;
  }
  return out;
}

class ThreatIndicatorsTest : public testing_support::ReportingFixture {
 protected:
  static constexpr std::int64_t kT1 = kNow + 1000;

  // A reported phish (sender, subject, link) in `workspace_id`; its report.
  Report reported(const std::string& reporter, const std::string& message_id,
                  const std::string& from, const std::string& subject, const std::string& link,
                  std::int64_t at, std::int64_t workspace_id = 0) {
    const auto got =
        ingest(testing_support::attached_report(
                   reporter, testing_support::phish_message(message_id, from, subject, link)),
               at, {}, workspace_id);
    EXPECT_EQ(got.outcome, "triage");
    return only_report(got, workspace_id);
  }

  void decide(std::int64_t cluster_id, const std::string& verdict, std::int64_t workspace_id = 0) {
    const auto decided = decide_cluster(*store_, caller(Role::kOperator, workspace_id), kT1 + 10000,
                                        cluster_id, {verdict, ""});
    ASSERT_TRUE(decided.has_value()) << decided.error().message;
  }
};

TEST_P(ThreatIndicatorsTest, OnlyThreatsCountDeduplicatedWithFirstAndLastSeen) {
  const std::string sender = "service@paypa1-secure.example";
  const std::string link = "https://paypa1-secure.example/login";
  const Report ada = reported(kAda, "a@p.example", sender, "Suspended", link, kT1);
  const Report bob = reported(kBob, "b@p.example", sender, "Suspended", link, kT1 + 500);
  ASSERT_EQ(ada.cluster_id, bob.cluster_id);
  const Report spam = reported(kAda, "s@o.example", "billing@spam-sender.example", "Invoice",
                               "https://spam-link.example/pay", kT1 + 100);
  reported(kAda, "u@t.example", "x@undecided-sender.example", "Hello",
           "https://undecided-link.example/c", kT1 + 200);
  const Report theirs = reported("eve@globex.example", "g@g.example", "y@globex-sender.example",
                                 "Theirs", "https://globex-link.example/x", kT1, other_ws_);
  decide(ada.cluster_id, "threat");
  decide(spam.cluster_id, "spam");
  decide(theirs.cluster_id, "threat", other_ws_);

  const auto listed = threat_indicators(*store_, ws_);
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  const ByValue got = by_value(*listed);
  for (const auto& key :
       {"url " + link, "email " + sender, std::string("domain paypa1-secure.example")}) {
    const auto found = got.find(key);
    ASSERT_NE(found, got.end()) << key << " missing";
    EXPECT_EQ(found->second.reports, 2) << key;
    EXPECT_EQ(found->second.first_seen, kT1) << key;
    EXPECT_EQ(found->second.last_seen, kT1 + 500) << key;
  }
  for (const auto& [key, indicator] : got) {
    EXPECT_TRUE(indicator.type == "url" || indicator.type == "domain" ||
                indicator.type == "email" || indicator.type == "sha256")
        << key;
    for (const char* other : {"spam-", "undecided-", "globex-"}) {
      EXPECT_EQ(key.find(other), std::string::npos) << key << " is not a threat of Acme";
    }
  }

  // The other workspace sees its own threat only.
  const auto their_list = threat_indicators(*store_, other_ws_);
  ASSERT_TRUE(their_list.has_value());
  const ByValue theirs_got = by_value(*their_list);
  EXPECT_TRUE(theirs_got.contains("url https://globex-link.example/x"));
  EXPECT_FALSE(theirs_got.contains("url " + link));
}

TEST_P(ThreatIndicatorsTest, AThreatsAttachmentDigestIsAnIndicator) {
  const std::string message = testing_support::crlf(
      "From: hr@payroll-update.example\nSubject: Salary review\nMessage-ID: <d@p.example>\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"att\"\n\n--att\n"
      "Content-Type: text/plain\n\nSee the attached review.\n--att\n"
      "Content-Type: application/octet-stream; name=\"review.pdf.exe\"\n"
      "Content-Disposition: attachment; filename=\"review.pdf.exe\"\n"
      "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--att--\n");
  const Report r = only_report(ingest(testing_support::attached_report(kAda, message), kT1));
  ASSERT_TRUE(decide_report(*store_, caller(), kT1 + 5, r.id, {"threat", ""}).has_value());
  const auto listed = threat_indicators(*store_, ws_);
  ASSERT_TRUE(listed.has_value());
  int digests = 0;
  for (const auto& i : *listed) {
    if (i.type != "sha256") continue;
    ++digests;
    EXPECT_TRUE(std::regex_match(i.value, std::regex("[0-9a-f]{64}"))) << i.value;
    EXPECT_EQ(i.reports, 1);
  }
  EXPECT_EQ(digests, 1);
}

TEST_P(ThreatIndicatorsTest, NoThreatsNoIndicators) {
  const Report r = reported(kAda, "a@p.example", "service@paypa1-secure.example", "Suspended",
                            "https://paypa1-secure.example/login", kT1);
  decide(r.cluster_id, "clean");
  const auto listed = threat_indicators(*store_, ws_);
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(indicators_csv(*listed), "type,value,first_seen,last_seen,reports\r\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, ThreatIndicatorsTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

ThreatIndicator indicator(const std::string& type, const std::string& value,
                          std::int64_t first = 1796083200, std::int64_t last = 1796090400,
                          int reports = 3) {
  return ThreatIndicator{type, value, first, last, reports};
}

TEST(IndicatorsCsvTest, FormulaLikeValuesAreNeutralised) {
  const std::string csv = indicators_csv({
      indicator("url", "=HYPERLINK(\"https://evil.example\",\"x\")"),
      indicator("email", "@SUM(1+1)@evil.example"),
      indicator("url", "https://ok.example/a"),
  });
  const std::string first = format_rfc3339(1796083200);
  const std::string last = format_rfc3339(1796090400);
  EXPECT_EQ(csv,
            "type,value,first_seen,last_seen,reports\r\n"
            "url,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\"," +
                first + "," + last +
                ",3\r\n"
                "email,'@SUM(1+1)@evil.example," +
                first + "," + last +
                ",3\r\n"
                "url,https://ok.example/a," +
                first + "," + last + ",3\r\n");
}

std::string stix_id_of(const json::value& object) {
  return std::string(object.at("id").as_string());
}

TEST(IndicatorsStixTest, IdsAreStableAcrossExportsAndPatternsEscapeQuotes) {
  const std::vector<ThreatIndicator> indicators = {
      indicator("url", "https://evil.example/?q=it's"),
      indicator("domain", "evil.example"),
      indicator("sha256", std::string(64, 'a')),
      indicator("email", "o'brien\\x@evil.example"),
  };
  const json::value first = json::parse(indicators_stix(indicators, 1796100000));
  const json::value second = json::parse(indicators_stix(indicators, 1796200000));
  EXPECT_EQ(first.at("type").as_string(), "bundle");
  const auto& objects = first.at("objects").as_array();
  const auto& again = second.at("objects").as_array();
  ASSERT_EQ(objects.size(), 4u);
  ASSERT_EQ(again.size(), 4u);
  const std::regex uuid_v8(
      "indicator--[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
      "[0-9a-f]{12}");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const std::string id = stix_id_of(objects[i]);
    EXPECT_TRUE(std::regex_match(id, uuid_v8)) << id;
    EXPECT_EQ(id, stix_id_of(again[i])) << "the id changed between exports";
    EXPECT_EQ(objects[i].at("type").as_string(), "indicator");
    EXPECT_EQ(objects[i].at("spec_version").as_string(), "2.1");
    EXPECT_EQ(objects[i].at("pattern_type").as_string(), "stix");
    EXPECT_EQ(objects[i].at("created").as_string(), format_rfc3339(1796083200));
    EXPECT_EQ(objects[i], again[i]);  // nothing of an indicator depends on the export
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "two values share an id";
  // The same value of another type is another indicator.
  const json::value as_email =
      json::parse(indicators_stix({indicator("email", "evil.example")}, 1796100000));
  EXPECT_NE(stix_id_of(as_email.at("objects").as_array()[0]), stix_id_of(objects[1]));

  EXPECT_EQ(objects[0].at("pattern").as_string(), "[url:value = 'https://evil.example/?q=it\\'s']");
  EXPECT_EQ(objects[1].at("pattern").as_string(), "[domain-name:value = 'evil.example']");
  EXPECT_EQ(objects[2].at("pattern").as_string(),
            "[file:hashes.'SHA-256' = '" + std::string(64, 'a') + "']");
  EXPECT_EQ(objects[3].at("pattern").as_string(),
            "[email-addr:value = 'o\\'brien\\\\x@evil.example']");
}

}  // namespace
}  // namespace phishdrill::service
