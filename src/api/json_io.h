// JSON in and out of the admin API: parsing a request body into an object
// (content type, UTF-8 and syntax checked), reading its fields strictly
// (unknown keys and wrong types are errors naming the field), and writing
// responses and errors in the documented envelope. Thread-safe (stateless).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/text_rules.h"
#include "net/http_message.h"

namespace phishdrill::api {

namespace json = boost::json;

// The request body as a JSON object; an empty body is an empty object when
// `allow_empty`.
Result<json::object> parse_body(const net::Request& request, bool allow_empty = false);

// Strict reader over one JSON object. `prefix` is prepended to field names in
// errors (e.g. "targets[2].").
class FieldReader {
 public:
  FieldReader(const json::object& object, std::string prefix = {})
      : object_(object), prefix_(std::move(prefix)) {}

  // Fails with kUnknownField for the first key not in `allowed`.
  Result<void> only(std::initializer_list<std::string_view> allowed) const;

  bool has(std::string_view key) const { return object_.contains(key); }
  // Required fields fail with kValidation "<field> is required" when absent.
  Result<std::string> string(std::string_view key, bool required = false,
                             std::string fallback = {}) const;
  Result<std::int64_t> integer(std::string_view key, bool required = false,
                               std::int64_t fallback = 0) const;
  Result<bool> boolean(std::string_view key, bool fallback) const;
  Result<const json::array*> array(std::string_view key, bool required = false) const;
  Result<const json::object*> object(std::string_view key) const;
  Result<std::vector<HeaderField>> headers(std::string_view key) const;

  std::string field(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  const json::object& object_;
  std::string prefix_;
};

// HTTP status for an error code.
int http_status(ErrorCode code);

net::Response json_response(int status, const json::value& body);
net::Response error_response(const Error& error);

// {"items": [...], "next_cursor": "..."|null}
template <typename T, typename ToJson>
json::object list_body(const std::vector<T>& items, std::optional<std::int64_t> next,
                       ToJson to_json) {
  json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(to_json(item));
  json::object body;
  body["items"] = std::move(array);
  body["next_cursor"] = next ? json::value(std::to_string(*next)) : json::value(nullptr);
  return body;
}

}  // namespace phishdrill::api
