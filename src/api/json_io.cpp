#include "api/json_io.h"

#include <fmt/format.h>

#include <cmath>

#include "core/utf8.h"

namespace phishdrill::api {
namespace {

std::string_view kind_name(json::kind kind) {
  switch (kind) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

std::unexpected<Error> wrong_type(const std::string& field, std::string_view expected,
                                  const json::value& value) {
  return fail(ErrorCode::kInvalidType,
              fmt::format("{} must be {}, not {}", field, expected, kind_name(value.kind())),
              field);
}

// Boost.JSON reads a number too large for a double (1e999) as infinity and
// would write it back as `Infinity`, which is not JSON.
bool has_non_finite_number(const json::value& value) {
  switch (value.kind()) {
    case json::kind::double_:
      return !std::isfinite(value.get_double());
    case json::kind::array:
      for (const auto& item : value.get_array()) {
        if (has_non_finite_number(item)) return true;
      }
      return false;
    case json::kind::object:
      for (const auto& [key, item] : value.get_object()) {
        if (has_non_finite_number(item)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

Result<json::object> parse_body(const net::Request& request, bool allow_empty) {
  if (request.body.empty() && allow_empty) return json::object{};
  const auto type = request.header("Content-Type");
  if (!type.starts_with("application/json")) {
    return fail(ErrorCode::kUnsupportedMediaType, "the body must be JSON (application/json)");
  }
  if (!is_valid_utf8(request.body)) {
    return fail(ErrorCode::kInvalidUtf8, "the body is not valid UTF-8");
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(request.body, ec, {}, options);
  if (ec) return fail(ErrorCode::kInvalidJson, "the body is not valid JSON: " + ec.message());
  if (!value.is_object()) return fail(ErrorCode::kInvalidJson, "the body must be a JSON object");
  if (has_non_finite_number(value)) {
    return fail(ErrorCode::kInvalidJson, "the body has a number too large to represent");
  }
  return std::move(value.as_object());
}

Result<void> FieldReader::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, unused] : object_) {
    bool known = false;
    for (const auto& name : allowed) known |= key == name;
    if (!known) {
      const std::string shown(utf8_prefix(key, 64));
      return fail(ErrorCode::kUnknownField, fmt::format("unknown field \"{}\"", shown),
                  prefix_ + shown);
    }
  }
  return {};
}

Result<std::string> FieldReader::string(std::string_view key, bool required,
                                        std::string fallback) const {
  const auto* value = object_.if_contains(key);
  if (value == nullptr) {
    if (required) {
      return fail(ErrorCode::kValidation, field(key) + " is required", field(key));
    }
    return fallback;
  }
  if (!value->is_string()) return wrong_type(field(key), "a string", *value);
  return std::string(value->as_string());
}

Result<std::int64_t> FieldReader::integer(std::string_view key, bool required,
                                          std::int64_t fallback) const {
  const auto* value = object_.if_contains(key);
  if (value == nullptr) {
    if (required) {
      return fail(ErrorCode::kValidation, field(key) + " is required", field(key));
    }
    return fallback;
  }
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return wrong_type(field(key), "an integer", *value);
}

Result<bool> FieldReader::boolean(std::string_view key, bool fallback) const {
  const auto* value = object_.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_bool()) return wrong_type(field(key), "a boolean", *value);
  return value->as_bool();
}

Result<const json::array*> FieldReader::array(std::string_view key, bool required) const {
  const auto* value = object_.if_contains(key);
  if (value == nullptr) {
    if (required) {
      return fail(ErrorCode::kValidation, field(key) + " is required", field(key));
    }
    return nullptr;
  }
  if (!value->is_array()) return wrong_type(field(key), "an array", *value);
  return &value->as_array();
}

Result<const json::object*> FieldReader::object(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) return wrong_type(field(key), "an object", *value);
  return &value->as_object();
}

Result<std::vector<HeaderField>> FieldReader::headers(std::string_view key) const {
  std::vector<HeaderField> headers;
  auto items = array(key);
  if (!items) return std::unexpected(items.error());
  if (*items == nullptr) return headers;
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const auto& item = (**items)[i];
    const std::string item_field = fmt::format("{}[{}]", field(key), i);
    if (!item.is_object()) return wrong_type(item_field, "an object", item);
    FieldReader reader(item.as_object(), item_field + ".");
    if (auto ok = reader.only({"name", "value"}); !ok) return std::unexpected(ok.error());
    auto name = reader.string("name", true);
    if (!name) return std::unexpected(name.error());
    auto value = reader.string("value", true);
    if (!value) return std::unexpected(value.error());
    headers.push_back({std::move(*name), std::move(*value)});
  }
  return headers;
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidUtf8:
      return 400;
    case ErrorCode::kUnauthorized:
    case ErrorCode::kInvalidCredentials:
      return 401;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrf:
    case ErrorCode::kPasswordChangeRequired:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kValidation:
    case ErrorCode::kUnknownField:
    case ErrorCode::kInvalidType:
    case ErrorCode::kInvalidCsv:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
  }
  return 500;
}

net::Response json_response(int status, const json::value& body) {
  return net::Response::json(status, json::serialize(body));
}

net::Response error_response(const Error& error) {
  json::object inner;
  inner["code"] = error_code_name(error.code);
  // Internal details (SQL, addresses) stay in the log. Messages may quote
  // what arrived (a name, a header, an archive entry): made UTF-8, so the
  // envelope is always JSON a client can parse.
  inner["message"] = error.code == ErrorCode::kInternal      ? "internal error"
                     : error.code == ErrorCode::kUnavailable ? "service unavailable"
                                                             : valid_utf8(error.message);
  if (!error.field.empty()) inner["field"] = valid_utf8(error.field);
  if (error.code == ErrorCode::kInvalidCsv) {
    json::array rows;
    for (const auto& row : error.rows) {
      json::object item{{"line", row.line}, {"reason", valid_utf8(row.reason)}};
      if (!row.field.empty()) item["field"] = valid_utf8(row.field);
      rows.push_back(std::move(item));
    }
    inner["rows"] = std::move(rows);
  }
  auto response = json_response(http_status(error.code), json::object{{"error", std::move(inner)}});
  if (error.code == ErrorCode::kRateLimited && error.retry_after_seconds > 0) {
    response.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

}  // namespace phishdrill::api
