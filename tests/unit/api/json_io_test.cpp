#include "api/json_io.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ascii.h"

namespace phishdrill::api {
namespace {

net::Request json_request(std::string body, std::string content_type = "application/json") {
  net::Request request;
  request.method = "POST";
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.body = std::move(body);
  return request;
}

json::object parse_object(std::string_view text) { return json::parse(text).as_object(); }

std::string_view header_of(const net::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return {};
}

TEST(ParseBody, AcceptsJsonObject) {
  auto body = parse_body(json_request(R"({"name":"Finance","n":3})"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(body->at("name").as_string(), "Finance");
  EXPECT_EQ(body->at("n").as_int64(), 3);
}

TEST(ParseBody, AcceptsContentTypeWithCharset) {
  EXPECT_TRUE(parse_body(json_request("{}", "application/json; charset=utf-8")).has_value());
}

TEST(ParseBody, ContentTypeHeaderNameIsCaseInsensitive) {
  net::Request request;
  request.headers.emplace_back("content-type", "application/json");
  request.body = "{}";
  EXPECT_TRUE(parse_body(request).has_value());
}

TEST(ParseBody, WrongOrMissingContentTypeIsUnsupportedMediaType) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "", "text/json"}) {
    auto body = parse_body(json_request("{}", type));
    ASSERT_FALSE(body.has_value()) << type;
    EXPECT_EQ(body.error().code, ErrorCode::kUnsupportedMediaType) << type;
    EXPECT_EQ(http_status(body.error().code), 415);
  }
}

TEST(ParseBody, InvalidUtf8) {
  for (const std::string& text : {std::string("{\"a\":\"\xff\"}"), std::string("{\"a\":\"\xc3\"}"),
                                  std::string("{\"a\":\"\xed\xa0\x80\"}")}) {
    auto body = parse_body(json_request(text));
    ASSERT_FALSE(body.has_value());
    EXPECT_EQ(body.error().code, ErrorCode::kInvalidUtf8);
  }
}

// Found by fuzz/json_input_fuzz: Boost.JSON reads 1e999 as infinity and
// writes it back as `Infinity`, so an accepted body did not round-trip.
TEST(ParseBody, NumberTooLargeForADoubleIsInvalidJson) {
  for (const char* text : {R"({"f":1.5e2308})", R"({"a":[{"g":-1e999}]})"}) {
    auto body = parse_body(json_request(text));
    ASSERT_FALSE(body.has_value()) << text;
    EXPECT_EQ(body.error().code, ErrorCode::kInvalidJson);
  }
  auto large_but_finite = parse_body(json_request(R"({"f":1.5e308,"i":-9223372036854775809})"));
  ASSERT_TRUE(large_but_finite.has_value()) << large_but_finite.error().message;
  EXPECT_EQ(json::parse(json::serialize(*large_but_finite)).as_object(), *large_but_finite);
}

TEST(ParseBody, InvalidJson) {
  for (const char* text : {"{", "{\"a\":}", "not json", "{\"a\":1,}", "", "{} {}"}) {
    auto body = parse_body(json_request(text));
    ASSERT_FALSE(body.has_value()) << text;
    EXPECT_EQ(body.error().code, ErrorCode::kInvalidJson) << text;
  }
}

TEST(ParseBody, NonObjectIsInvalidJson) {
  for (const char* text : {"[]", "[{}]", "1", "\"text\"", "null", "true"}) {
    auto body = parse_body(json_request(text));
    ASSERT_FALSE(body.has_value()) << text;
    EXPECT_EQ(body.error().code, ErrorCode::kInvalidJson) << text;
  }
}

TEST(ParseBody, DeepNestingIsRejected) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  auto body = parse_body(json_request(deep));
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, ErrorCode::kInvalidJson);
}

TEST(ParseBody, EmptyBodyAllowedOnlyWhenAsked) {
  auto allowed = parse_body(json_request("", ""), true);
  ASSERT_TRUE(allowed.has_value());
  EXPECT_TRUE(allowed->empty());
  EXPECT_FALSE(parse_body(json_request("", "application/json")).has_value());
}

TEST(FieldReader, OnlyReportsFirstUnknownFieldWithPrefix) {
  const auto object = parse_object(R"({"email":"a@x.com","colour":"red"})");
  FieldReader reader(object, "targets[3].");
  auto ok = reader.only({"email", "first_name"});
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().code, ErrorCode::kUnknownField);
  EXPECT_EQ(ok.error().field, "targets[3].colour");
  EXPECT_NE(ok.error().message.find("colour"), std::string::npos);
  EXPECT_TRUE(reader.only({"email", "colour"}).has_value());
  EXPECT_TRUE(FieldReader(json::object{}).only({}).has_value());
}

TEST(FieldReader, OnlyTruncatesVeryLongUnknownKeys) {
  json::object object;
  object[std::string(500, 'k')] = 1;
  auto ok = FieldReader(object).only({"a"});
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().field, std::string(64, 'k'));
}

// Found by json_input_fuzz: the 64-byte cut fell inside a character, and
// the error envelope was no longer JSON.
TEST(FieldReader, ATruncatedUnknownKeyStaysUtf8AndItsErrorIsJson) {
  json::object object;
  object["template" + std::string(55, 'V') + "\xE5\x8C\x8Bte"] = 1;
  auto ok = FieldReader(object).only({"a"});
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().field, "template" + std::string(55, 'V'));
  const auto response = error_response(ok.error());
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
}

TEST(ErrorResponse, AnyBytesInAMessageGiveJson) {
  Error archive;
  archive.code = ErrorCode::kValidation;
  archive.message = "archive entry \"\xFF\xFE\": not a module";
  archive.field = "x\xC3";
  Error csv;
  csv.code = ErrorCode::kInvalidCsv;
  csv.message = "bad \xE5\x8C";
  csv.rows.push_back(RowIssue{3, "cut \xC3", "Email\xFF"});
  for (const auto& error : {archive, csv}) {
    const auto response = error_response(error);
    boost::system::error_code ec;
    const auto body = json::parse(response.body, ec);
    ASSERT_FALSE(ec) << response.body;
    EXPECT_NE(body.at("error").at("message").as_string().find("\xEF\xBF\xBD"), json::string::npos);
  }
}

TEST(FieldReader, StringValuesDefaultsAndErrors) {
  const auto object = parse_object(R"({"name":"x","n":1,"nul":null})");
  FieldReader reader(object, "p.");
  EXPECT_EQ(reader.string("name").value(), "x");
  EXPECT_EQ(reader.string("absent", false, "fallback").value(), "fallback");

  auto missing = reader.string("absent", true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_EQ(missing.error().field, "p.absent");
  EXPECT_NE(missing.error().message.find("required"), std::string::npos);

  auto wrong = reader.string("n");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidType);
  EXPECT_EQ(wrong.error().field, "p.n");
  EXPECT_NE(wrong.error().message.find("a number"), std::string::npos) << wrong.error().message;

  auto null = reader.string("nul");
  ASSERT_FALSE(null.has_value());
  EXPECT_EQ(null.error().code, ErrorCode::kInvalidType);
}

TEST(FieldReader, IntegerValuesDefaultsAndErrors) {
  const auto object =
      parse_object(R"({"a":42,"neg":-7,"big":9223372036854775807,"huge":18446744073709551615,)"
                   R"("f":1.5,"whole":2.0,"s":"3","b":true})");
  FieldReader reader(object);
  EXPECT_EQ(reader.integer("a").value(), 42);
  EXPECT_EQ(reader.integer("neg").value(), -7);
  EXPECT_EQ(reader.integer("big").value(), INT64_MAX);
  EXPECT_EQ(reader.integer("absent", false, 9).value(), 9);
  for (const char* key : {"huge", "f", "whole", "s", "b"}) {
    auto value = reader.integer(key);
    ASSERT_FALSE(value.has_value()) << key;
    EXPECT_EQ(value.error().code, ErrorCode::kInvalidType) << key;
    EXPECT_EQ(value.error().field, key);
  }
  auto missing = reader.integer("absent", true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_EQ(missing.error().field, "absent");
}

TEST(FieldReader, BooleanValuesDefaultsAndErrors) {
  const auto object = parse_object(R"({"t":true,"f":false,"n":1,"s":"true"})");
  FieldReader reader(object, "x.");
  EXPECT_TRUE(reader.boolean("t", false).value());
  EXPECT_FALSE(reader.boolean("f", true).value());
  EXPECT_TRUE(reader.boolean("absent", true).value());
  for (const char* key : {"n", "s"}) {
    auto value = reader.boolean(key, false);
    ASSERT_FALSE(value.has_value()) << key;
    EXPECT_EQ(value.error().code, ErrorCode::kInvalidType);
    EXPECT_EQ(value.error().field, std::string("x.") + key);
  }
}

TEST(FieldReader, ArrayAndObject) {
  const auto object = parse_object(R"({"list":[1,2],"obj":{"k":1},"s":"x"})");
  FieldReader reader(object);
  auto list = reader.array("list");
  ASSERT_TRUE(list.has_value());
  ASSERT_NE(*list, nullptr);
  EXPECT_EQ((*list)->size(), 2u);
  EXPECT_EQ(reader.array("absent").value(), nullptr);
  EXPECT_EQ(reader.array("absent", true).error().code, ErrorCode::kValidation);
  EXPECT_EQ(reader.array("s").error().code, ErrorCode::kInvalidType);
  EXPECT_EQ(reader.array("obj").error().code, ErrorCode::kInvalidType);
  auto obj = reader.object("obj");
  ASSERT_TRUE(obj.has_value());
  ASSERT_NE(*obj, nullptr);
  EXPECT_EQ(reader.object("absent").value(), nullptr);
  EXPECT_EQ(reader.object("list").error().code, ErrorCode::kInvalidType);
}

TEST(FieldReader, HeadersAreReadWithIndexedFieldNames) {
  const auto object =
      parse_object(R"({"headers":[{"name":"X-A","value":"1"},{"name":"X-B","value":"2"}]})");
  auto headers = FieldReader(object).headers("headers");
  ASSERT_TRUE(headers.has_value());
  ASSERT_EQ(headers->size(), 2u);
  EXPECT_EQ((*headers)[1].name, "X-B");
  EXPECT_EQ((*headers)[1].value, "2");
  EXPECT_TRUE(FieldReader(json::object{}).headers("headers").value().empty());

  auto unknown = FieldReader(parse_object(R"({"headers":[{"name":"a","value":"b","x":1}]})"))
                     .headers("headers");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownField);
  EXPECT_EQ(unknown.error().field, "headers[0].x");

  auto missing = FieldReader(parse_object(R"({"headers":[{"name":"a","value":"b"},{"name":"c"}]})"))
                     .headers("headers");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidation);
  EXPECT_EQ(missing.error().field, "headers[1].value");

  auto not_object = FieldReader(parse_object(R"({"headers":["X-A: 1"]})")).headers("headers");
  ASSERT_FALSE(not_object.has_value());
  EXPECT_EQ(not_object.error().code, ErrorCode::kInvalidType);
  EXPECT_EQ(not_object.error().field, "headers[0]");
}

TEST(HttpStatus, MapsEveryCode) {
  EXPECT_EQ(http_status(ErrorCode::kBadRequest), 400);
  EXPECT_EQ(http_status(ErrorCode::kInvalidJson), 400);
  EXPECT_EQ(http_status(ErrorCode::kInvalidUtf8), 400);
  EXPECT_EQ(http_status(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(http_status(ErrorCode::kInvalidCredentials), 401);
  EXPECT_EQ(http_status(ErrorCode::kForbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::kCsrf), 403);
  EXPECT_EQ(http_status(ErrorCode::kPasswordChangeRequired), 403);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kMethodNotAllowed), 405);
  EXPECT_EQ(http_status(ErrorCode::kConflict), 409);
  EXPECT_EQ(http_status(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(http_status(ErrorCode::kValidation), 422);
  EXPECT_EQ(http_status(ErrorCode::kUnknownField), 422);
  EXPECT_EQ(http_status(ErrorCode::kInvalidType), 422);
  EXPECT_EQ(http_status(ErrorCode::kInvalidCsv), 422);
  EXPECT_EQ(http_status(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(http_status(ErrorCode::kInternal), 500);
}

TEST(ErrorResponse, EnvelopeWithCodeMessageAndField) {
  const auto response =
      error_response(Error{ErrorCode::kValidation, "name is too long", "name", {}, 0});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(header_of(response, "Content-Type"), "application/json");
  const auto body = json::parse(response.body).as_object();
  ASSERT_EQ(body.size(), 1u);
  const auto& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "validation");
  EXPECT_EQ(error.at("message").as_string(), "name is too long");
  EXPECT_EQ(error.at("field").as_string(), "name");
  EXPECT_FALSE(error.contains("rows"));
  EXPECT_TRUE(header_of(response, "Retry-After").empty());
}

TEST(ErrorResponse, OmitsEmptyFieldAndHidesInternalMessages) {
  const auto not_found = error_response(Error{ErrorCode::kNotFound, "not found", "", {}, 0});
  EXPECT_EQ(not_found.status, 404);
  EXPECT_FALSE(json::parse(not_found.body).at("error").as_object().contains("field"));

  const auto internal = error_response(
      Error{ErrorCode::kInternal, "database: disk I/O error at /secret/path", "", {}, 0});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("/secret/path"), std::string::npos);
  EXPECT_EQ(json::parse(internal.body).at("error").at("message").as_string(), "internal error");
  EXPECT_EQ(json::parse(internal.body).at("error").at("code").as_string(), "internal");
}

TEST(ErrorResponse, InvalidCsvListsRows) {
  Error error{ErrorCode::kInvalidCsv, "2 rows are invalid", "", {}, 0};
  error.rows = {{3, "email", "not a valid email"}, {7, "", "too many columns"}};
  const auto response = error_response(error);
  EXPECT_EQ(response.status, 422);
  const auto inner = json::parse(response.body).at("error").as_object();
  EXPECT_EQ(inner.at("code").as_string(), "invalid_csv");
  const auto& rows = inner.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("line").to_number<std::int64_t>(), 3);
  EXPECT_EQ(rows[0].at("field").as_string(), "email");
  EXPECT_EQ(rows[0].at("reason").as_string(), "not a valid email");
  EXPECT_EQ(rows[1].at("line").to_number<std::int64_t>(), 7);
  EXPECT_FALSE(rows[1].as_object().contains("field"));
}

TEST(ErrorResponse, InvalidCsvWithoutRowsHasEmptyArray) {
  const auto response = error_response(Error{ErrorCode::kInvalidCsv, "empty", "", {}, 0});
  EXPECT_TRUE(json::parse(response.body).at("error").at("rows").as_array().empty());
}

TEST(ErrorResponse, RateLimitedSetsRetryAfter) {
  const auto response = error_response(Error{ErrorCode::kRateLimited, "slow down", "", {}, 42});
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(header_of(response, "Retry-After"), "42");
  EXPECT_EQ(json::parse(response.body).at("error").at("code").as_string(), "rate_limited");

  const auto zero = error_response(Error{ErrorCode::kRateLimited, "slow down", "", {}, 0});
  EXPECT_TRUE(header_of(zero, "Retry-After").empty());
}

TEST(ListBody, ItemsAndCursor) {
  const std::vector<int> items = {1, 2};
  auto body =
      list_body(items, std::optional<std::int64_t>(17), [](int v) { return json::value(v * 10); });
  EXPECT_EQ(body.at("items").as_array().size(), 2u);
  EXPECT_EQ(body.at("items").as_array()[1].as_int64(), 20);
  EXPECT_EQ(body.at("next_cursor").as_string(), "17");
  auto last = list_body(items, std::nullopt, [](int v) { return json::value(v); });
  EXPECT_TRUE(last.at("next_cursor").is_null());
}

}  // namespace
}  // namespace phishdrill::api
