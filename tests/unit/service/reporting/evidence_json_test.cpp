// The evidence of a reported message as JSON (service/reporting/
// evidence_json.h): valid JSON and valid UTF-8 whatever the message holds,
// texts cut on character boundaries, every link with its unwrapped target,
// and the indicators an analyst exports.
#include "service/reporting/evidence_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/report_evidence.h"
#include "core/utf8.h"

namespace phishdrill::service {
namespace {

namespace json = boost::json;

TEST(EvidenceJsonTest, HostileTextBecomesBoundedValidJson) {
  ReportedMessage m;
  m.from_name = "Pay\xffPal";  // not UTF-8
  m.from_address = "service@paypa1-secure.example";
  m.subject = std::string(5000, 'S');
  m.message_id = "x@paypa1-secure.example";
  for (int i = 0; i < 3000; ++i) m.text += "\xe2\x82\xac";  // 3,000 euro signs
  m.links.push_back(
      {"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fpaypa1-"
       "secure.example%2Flogin&data=1",
       "https://www.paypal.com", false});
  m.attachments.push_back({"a.pdf", "application/pdf", 10, std::string(64, 'c')});
  m.attachments.push_back({"b.pdf", "application/pdf", 10, std::string(64, 'c')});
  const Evidence evidence = judge_reported_message(m, {});
  const std::string out = evidence_json(m, evidence);
  EXPECT_TRUE(is_valid_utf8(out));
  json::error_code ec;
  const json::value v = json::parse(out, ec);
  ASSERT_FALSE(ec) << out;
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("shape").as_string(), "attached");
  EXPECT_TRUE(is_valid_utf8(std::string(o.at("from_name").as_string())));
  EXPECT_LE(o.at("subject").as_string().size(), 1000u);
  const std::string excerpt(o.at("text_excerpt").as_string());
  EXPECT_LE(excerpt.size(), 2000u);  // cut to 2,000 bytes
  EXPECT_GE(excerpt.size(), 1998u);
  EXPECT_EQ(excerpt.size() % 3, 0u);  // whole euro signs only
  EXPECT_TRUE(is_valid_utf8(excerpt));
  const auto& links = o.at("links").as_array();
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].at("target").as_string(), "https://paypa1-secure.example/login");
  EXPECT_EQ(links[0].at("text").as_string(), "https://www.paypal.com");
  const auto& indicators = o.at("indicators").as_object();
  EXPECT_EQ(indicators.at("sender").as_string(), "service@paypa1-secure.example");
  ASSERT_EQ(indicators.at("hashes").as_array().size(), 1u);  // the same digest once
  bool has_target = false;
  for (const auto& url : indicators.at("urls").as_array()) {
    has_target = has_target || url.as_string() == "https://paypa1-secure.example/login";
  }
  EXPECT_TRUE(has_target) << out;
  EXPECT_EQ(o.at("findings").as_array().size(), evidence.findings.size());
}

}  // namespace
}  // namespace phishdrill::service
