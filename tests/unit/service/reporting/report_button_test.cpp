// The report button's credentials (service/reporting/report_button.h): a
// token names its workspace and nothing else passes — another workspace's
// id, a changed MAC, another key, a negative id, junk around it; the
// add-in's id is UUID-v4 shaped, stable per workspace and different across
// workspaces and installations.
#include "service/reporting/report_button.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace phishdrill::service {
namespace {

SecretKey key_of(unsigned char fill) {
  SecretKey key{};
  key.fill(fill);
  return key;
}

TEST(ReportButtonTest, ATokenRoundTripsToItsWorkspace) {
  const SecretKey key = key_of(42);
  for (const std::int64_t id : {std::int64_t{1}, std::int64_t{42}, std::int64_t{987654321012}}) {
    const std::string token = report_button_token(key, id);
    EXPECT_EQ(token.rfind(std::to_string(id) + ".", 0), 0u) << token;
    EXPECT_EQ(report_button_workspace(key, token), id) << token;
    EXPECT_EQ(report_button_token(key, id), token);  // the same every time
  }
  EXPECT_NE(report_button_token(key, 1), report_button_token(key, 2));
}

TEST(ReportButtonTest, AnythingButAnIssuedTokenIsRejected) {
  const SecretKey key = key_of(42);
  const std::string token = report_button_token(key, 1);
  const std::string mac = token.substr(token.find('.') + 1);
  ASSERT_FALSE(mac.empty());
  std::string changed_mac = token;
  changed_mac.back() = changed_mac.back() == 'a' ? 'b' : 'a';
  const std::vector<std::string> rejected = {
      "2." + mac,                         // another workspace's id with this MAC
      changed_mac,                        // a changed MAC
      token.substr(0, token.size() - 1),  // a shortened MAC
      "",
      ".",
      "1.",
      "." + mac,
      "1" + mac,                     // no dot
      report_button_token(key, -5),  // a negative id, correctly signed
      report_button_token(key, 0),   // id 0, correctly signed
      "-1." + mac,
      "+1." + mac,
      "01." + mac,  // the id spelt another way
      "0000001." + mac,
      " 1." + mac,
      "1 ." + mac,
      "1x." + mac,
      token + "x",  // trailing junk
      token + " ",
      token + "." + mac,
      "99999999999999999999." + mac,  // out of range
  };
  for (const auto& bad : rejected) {
    EXPECT_EQ(report_button_workspace(key, bad), std::nullopt) << "'" << bad << "'";
  }
  // Another installation's key.
  EXPECT_EQ(report_button_workspace(key_of(7), token), std::nullopt);
  EXPECT_EQ(report_button_workspace(key, report_button_token(key_of(7), 1)), std::nullopt);
}

TEST(ReportButtonTest, TheAddinIdIsAStableUuidPerWorkspace) {
  const SecretKey key = key_of(42);
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (std::int64_t id = 1; id <= 50; ++id) {
    const std::string addin = report_button_addin_id(key, id);
    EXPECT_TRUE(std::regex_match(addin, v4)) << addin;
    EXPECT_EQ(report_button_addin_id(key, id), addin);
    EXPECT_TRUE(seen.insert(addin).second) << "workspace " << id << " shares " << addin;
  }
  EXPECT_NE(report_button_addin_id(key_of(7), 1), report_button_addin_id(key, 1));
}

TEST(ReportButtonTest, EachOutcomeTellsThePersonWhatHappened) {
  const std::string credited = report_button_message("simulation");
  EXPECT_NE(credited.find("simulation"), std::string::npos);
  EXPECT_EQ(report_button_message("simulation_ended"), credited);
  std::set<std::string> distinct{credited};
  for (const char* outcome : {"simulation_other", "duplicate", "refused", "triage"}) {
    EXPECT_TRUE(distinct.insert(report_button_message(outcome)).second) << outcome;
  }
  EXPECT_EQ(report_button_message("something new"), report_button_message("triage"));
}

}  // namespace
}  // namespace phishdrill::service
