#include "net/router.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::net {
namespace {

Handler answer(int status) {
  return [status](Request&) { return Response::text(status, "x"); };
}

int call(const RouteMatch& match) {
  Request request;
  return match.route->handler(request).status;
}

TEST(Router, MatchesLiteralPath) {
  Router router;
  router.add("GET", "/api/v1/groups", answer(200));
  const auto match = router.match("GET", "/api/v1/groups");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/groups");
  EXPECT_TRUE(match.params.empty());
  EXPECT_EQ(call(match), 200);
}

TEST(Router, ExtractsNamedParameters) {
  Router router;
  router.add("DELETE", "/api/v1/groups/{id}/targets/{target_id}", answer(204));
  const auto match = router.match("DELETE", "/api/v1/groups/17/targets/42");
  ASSERT_NE(match.route, nullptr);
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0].first, "id");
  EXPECT_EQ(match.params[0].second, "17");
  EXPECT_EQ(match.params[1].first, "target_id");
  EXPECT_EQ(match.params[1].second, "42");
}

TEST(Router, ParameterDoesNotMatchAcrossSegmentsOrMissingSegment) {
  Router router;
  router.add("GET", "/api/v1/groups/{id}", answer(200));
  EXPECT_EQ(router.match("GET", "/api/v1/groups/1/2").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/groups").route, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/groups/").route, nullptr);
}

TEST(Router, HeadIsServedByGet) {
  Router router;
  router.add("GET", "/health", answer(200));
  const auto match = router.match("HEAD", "/health");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->method, "GET");
}

TEST(Router, GetIsNotServedByHeadOnlyOrPostRoute) {
  Router router;
  router.add("POST", "/thing", answer(201));
  const auto match = router.match("HEAD", "/thing");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST(Router, WrongMethodOnKnownPathSetsPathKnown) {
  Router router;
  router.add("GET", "/api/v1/groups/{id}", answer(200));
  const auto match = router.match("PATCH", "/api/v1/groups/5");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST(Router, UnknownPathIsNeitherMatchedNorKnown) {
  Router router;
  router.add("GET", "/api/v1/groups", answer(200));
  const auto match = router.match("GET", "/api/v1/nothing");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_known);
  EXPECT_TRUE(match.params.empty());
}

TEST(Router, EmptyRouterMatchesNothing) {
  Router router;
  const auto match = router.match("GET", "/");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_known);
}

TEST(Router, ChoosesTheRouteWithTheRequestedMethod) {
  Router router;
  router.add("GET", "/api/v1/groups/{id}", answer(200));
  router.add("PUT", "/api/v1/groups/{id}", answer(201));
  router.add("DELETE", "/api/v1/groups/{id}", answer(204));
  const auto put = router.match("PUT", "/api/v1/groups/3");
  ASSERT_NE(put.route, nullptr);
  EXPECT_EQ(call(put), 201);
  const auto del = router.match("DELETE", "/api/v1/groups/3");
  ASSERT_NE(del.route, nullptr);
  EXPECT_EQ(call(del), 204);
}

TEST(Router, LiteralRouteRegisteredFirstWinsOverParameter) {
  Router router;
  router.add("POST", "/api/v1/groups/import", answer(201));
  router.add("POST", "/api/v1/groups/{id}", answer(200));
  const auto import = router.match("POST", "/api/v1/groups/import");
  ASSERT_NE(import.route, nullptr);
  EXPECT_EQ(import.route->pattern, "/api/v1/groups/import");
  EXPECT_TRUE(import.params.empty());
  const auto other = router.match("POST", "/api/v1/groups/9");
  ASSERT_NE(other.route, nullptr);
  EXPECT_EQ(other.route->pattern, "/api/v1/groups/{id}");
}

TEST(Router, ParameterRouteReceivesLiteralOfAnotherMethod) {
  // GET /groups/import is not the POST import route: it falls through to
  // GET /groups/{id} with id "import" (the handler then answers 404).
  Router router;
  router.add("POST", "/api/v1/groups/import", answer(201));
  router.add("GET", "/api/v1/groups/{id}", answer(200));
  const auto match = router.match("GET", "/api/v1/groups/import");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/groups/{id}");
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].second, "import");
}

TEST(Router, TrailingSlashAndRepeatedSlashesAreIgnored) {
  // Empty segments are dropped when splitting, so these spellings match.
  Router router;
  router.add("GET", "/api/v1/groups", answer(200));
  EXPECT_NE(router.match("GET", "/api/v1/groups/").route, nullptr);
  EXPECT_NE(router.match("GET", "//api//v1/groups").route, nullptr);
}

TEST(Router, RootPath) {
  Router router;
  router.add("GET", "/", answer(200));
  EXPECT_NE(router.match("GET", "/").route, nullptr);
  EXPECT_EQ(router.match("GET", "/x").route, nullptr);
}

TEST(Router, MethodIsCaseSensitive) {
  Router router;
  router.add("GET", "/x", answer(200));
  const auto match = router.match("get", "/x");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST(Router, KeepsBodyLimitPerRoute) {
  Router router;
  router.add("POST", "/small", answer(200));
  router.add("POST", "/large", answer(200), 10 * 1024 * 1024);
  EXPECT_EQ(router.match("POST", "/small").route->body_limit, kDefaultBodyLimit);
  EXPECT_EQ(router.match("POST", "/large").route->body_limit, 10u * 1024 * 1024);
}

TEST(Router, BracesInsideSegmentAreLiteral) {
  Router router;
  router.add("GET", "/a/{}", answer(200));  // "{}" is too short to be a parameter
  EXPECT_NE(router.match("GET", "/a/{}").route, nullptr);
  EXPECT_EQ(router.match("GET", "/a/b").route, nullptr);
}

TEST(Router, GetFallbackAnswersUnknownGetAndHeadOnly) {
  Router router;
  router.add("GET", "/api/v1/groups", answer(200));
  router.set_get_fallback("/{spa}", answer(299));
  const auto deep = router.match("GET", "/campaigns/7");
  ASSERT_NE(deep.route, nullptr);
  EXPECT_EQ(deep.route->pattern, "/{spa}");
  EXPECT_EQ(call(deep), 299);
  ASSERT_NE(router.match("HEAD", "/campaigns/7").route, nullptr);
  EXPECT_EQ(call(router.match("GET", "/api/v1/groups")), 200);  // real routes win
  EXPECT_EQ(router.match("POST", "/campaigns/7").route, nullptr);
  // A known path with another method stays a 405, not the fallback.
  const auto wrong = router.match("DELETE", "/api/v1/groups");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_known);
}

}  // namespace
}  // namespace phishdrill::net
