// The portal's handlers (phish/portal_routes.h) through the router, on the
// SQLite store: the status and page each answer gives — the start link and
// its rate limit, unknown and expired links, another person's assignment,
// lessons, the quiz round trip, a form sent twice, forged answers and the
// certificate — and the headers every portal page carries.
#include "phish/portal_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "support/portal_fixture.h"

namespace phishdrill::phish {
namespace {

class PortalRoutesTest : public testing_support::PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (HasFatalFailure()) return;
    add_portal_routes(router_, *store_, clock_, tokens_, catalogue_, {"/learn", "rid", 3});
    ann_ = "/learn/" + link(acme_.audience, 0);
    mine_ = ann_ + "/" + std::to_string(ann_assignment_);
  }

  net::Response call(const std::string& method, const std::string& path,
                     const std::string& body = {},
                     std::vector<std::pair<std::string, std::string>> query = {}) {
    const auto match = router_.match(method, path);
    EXPECT_NE(match.route, nullptr) << method << " " << path;
    if (match.route == nullptr) return net::Response::text(599, "no route");
    net::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.body = body;
    request.remote_ip = "198.51.100.4";
    request.path_params = match.params;
    request.route = match.route->pattern;
    return match.route->handler(request);
  }

  net::Response start(const std::string& rid) {
    return call("GET", "/learn/start", {}, {{"rid", rid}});
  }

  static std::string header(const net::Response& r, std::string_view name) {
    for (const auto& [key, value] : r.headers) {
      if (key == name) return value;
    }
    return {};
  }

  static bool has(const net::Response& r, std::string_view text) {
    return r.body.find(text) != std::string::npos;
  }

  // The nonce of the quiz form on the page.
  static std::string nonce_in(const net::Response& quiz) {
    const std::string marker = "name=\"nonce\" value=\"";
    const auto at = quiz.body.find(marker);
    if (at == std::string::npos) return {};
    const auto from = at + marker.size();
    return quiz.body.substr(from, quiz.body.find('"', from) - from);
  }

  net::Response send_quiz(const std::string& answers) {
    const auto form = call("GET", mine_ + "/quiz");
    EXPECT_EQ(form.status, 200);
    return call("POST", mine_ + "/quiz", "nonce=" + nonce_in(form) + "&" + answers);
  }

  net::Router router_;
  std::string ann_;   // /learn/{ann's token}
  std::string mine_;  // ann's assignment under her link
};

TEST_F(PortalRoutesTest, PagesAreNotCachedFramedOrScripted) {
  const auto home = call("GET", ann_);
  EXPECT_EQ(home.status, 200);
  EXPECT_TRUE(has(home, "Spot the phish")) << home.body;
  EXPECT_EQ(header(home, "Cache-Control"), "no-store");
  EXPECT_EQ(header(home, "X-Frame-Options"), "DENY");
  EXPECT_NE(header(home, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  const auto css = call("GET", "/learn/portal.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(header(css, "Content-Type"), "text/css; charset=utf-8");
}

TEST_F(PortalRoutesTest, StartRedirectsToAFreshLinkOrSaysWhy) {
  const auto issued = start(testing_support::test_rid(campaign_, 0));
  EXPECT_EQ(issued.status, 303);
  const std::string location = header(issued, "Location");
  ASSERT_TRUE(location.starts_with("/learn/")) << location;
  EXPECT_EQ(call("GET", location).status, 200);

  const auto nothing = start(testing_support::test_rid(campaign_, 1));  // bob: nothing assigned
  EXPECT_EQ(nothing.status, 200);
  EXPECT_TRUE(has(nothing, "No training waiting"));
  EXPECT_EQ(start("rid-unknown").status, 404);

  const auto limited = start(testing_support::test_rid(campaign_, 0));  // the 4th this minute
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(header(limited, "Retry-After"), "60");
  clock_.advance(61);
  EXPECT_EQ(start(testing_support::test_rid(campaign_, 0)).status, 303);
}

TEST_F(PortalRoutesTest, UnknownExpiredAndForeignLinks) {
  EXPECT_EQ(call("GET", "/learn/" + std::string(43, 'z')).status, 404);
  EXPECT_EQ(call("GET", "/learn/" + std::string(43, 'z') + "/1").status, 404);
  const auto foreign = call("GET", ann_ + "/" + std::to_string(eve_assignment_));
  EXPECT_EQ(foreign.status, 403);
  EXPECT_TRUE(has(foreign, "This training is not on your list"));
  EXPECT_EQ(call("GET", ann_ + "/abc").status, 403);
  clock_.advance(31 * kDay);
  const auto expired = call("GET", ann_);
  EXPECT_EQ(expired.status, 410);
  EXPECT_TRUE(has(expired, "This link has expired"));
}

TEST_F(PortalRoutesTest, LessonsAndImages) {
  EXPECT_EQ(call("GET", mine_).status, 200);
  const auto lesson = call("GET", mine_ + "/lesson/2");
  EXPECT_EQ(lesson.status, 200);
  EXPECT_TRUE(has(lesson, "Hover over links")) << lesson.body;
  EXPECT_EQ(stored_for_ann().status, AssignmentStatus::kInProgress);
  EXPECT_EQ(call("GET", mine_ + "/lesson/3").status, 404);
  EXPECT_EQ(call("GET", mine_ + "/lesson/images/none.png").status, 404);
}

TEST_F(PortalRoutesTest, AFailedQuizCanBeTakenAgainAndAPassCompletesIt) {
  const auto failed = send_quiz("q.sender=1&q.link=0");
  EXPECT_EQ(failed.status, 200);
  EXPECT_EQ(stored_for_ann().status, AssignmentStatus::kInProgress);
  EXPECT_EQ(call("GET", mine_ + "/certificate").status, 409);

  const auto passed = send_quiz("q.sender=1&q.link=0&q.link=2");
  EXPECT_EQ(passed.status, 200);
  EXPECT_EQ(stored_for_ann().status, AssignmentStatus::kCompleted);
  const auto done = call("GET", mine_ + "/quiz");
  EXPECT_EQ(done.status, 409);
  EXPECT_TRUE(has(done, "Your result (100%) was recorded")) << done.body;
  const auto certificate = call("GET", mine_ + "/certificate");
  EXPECT_EQ(certificate.status, 200);
  EXPECT_TRUE(has(certificate, "ann@corp.example")) << certificate.body;
}

TEST_F(PortalRoutesTest, AFormSentTwiceOrForgedIsRefused) {
  const auto form = call("GET", mine_ + "/quiz");
  const std::string nonce = "nonce=" + nonce_in(form);
  EXPECT_EQ(call("POST", mine_ + "/quiz", nonce + "&q.sender=1&q.link=0&extra=1").status, 422);
  EXPECT_EQ(call("POST", mine_ + "/quiz", nonce + "&q.sender=one&q.link=0").status, 422);
  EXPECT_EQ(call("POST", mine_ + "/quiz", nonce + "&q.sender=1").status, 422);
  EXPECT_EQ(call("POST", mine_ + "/quiz", nonce + "&q.sender=0&q.link=1").status, 200);
  const auto twice = call("POST", mine_ + "/quiz", nonce + "&q.sender=0&q.link=1");
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(has(twice, "These answers were already sent"));
}

TEST_F(PortalRoutesTest, WithdrawnTrainingHasNothingToDo) {
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.training.cancel_assignment(acme_.audience.workspace_id, ann_assignment_,
                                                 "withdrawn", clock_.now()));
  });
  const auto page = call("GET", mine_);
  EXPECT_EQ(page.status, 410);
  EXPECT_TRUE(has(page, "Nothing to do here"));
}

}  // namespace
}  // namespace phishdrill::phish
