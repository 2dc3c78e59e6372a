// Fuzzes JSON input to the admin API: parse_body (content type, UTF-8,
// syntax, depth) and the strict FieldReader over every key with every reader,
// recursing into objects and arrays of objects, then the error envelope.
// Invariants: an accepted body re-serialises to an equal object; every error
// has a message and its envelope is valid JSON.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "api/json_io.h"
#include "fuzz_input.h"

using phishdrill::fuzz::check;
namespace api = phishdrill::api;
namespace json = boost::json;

namespace {

// Equality, except that doubles may differ in their last bits: Boost.JSON
// 1.81 does not parse decimals with correct rounding, so a double written in
// its shortest form can read back one ulp away.
bool same_json(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    return x == y || std::fabs(x - y) <= 1e-15 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!same_json(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      const auto* other = y.if_contains(key);
      if (other == nullptr || !same_json(value, *other)) return false;
    }
    return true;
  }
  return a == b;
}

void check_error(const phishdrill::Error& error) {
  check(!error.message.empty(), "errors have a message");
  const auto response = api::error_response(error);
  boost::system::error_code ec;
  const auto envelope = json::parse(response.body, ec);
  check(!ec && envelope.is_object() && envelope.as_object().contains("error"),
        "the error envelope is JSON");
}

template <typename T>
void note(const phishdrill::Result<T>& result) {
  if (!result) check_error(result.error());
}

void read_fields(const json::object& object, const std::string& prefix, int depth) {
  const api::FieldReader reader(object, prefix);
  note(reader.only({"name", "email", "targets", "headers", "html"}));
  for (const auto& [key, value] : object) {
    check(reader.has(key), "has() sees every key");
    note(reader.string(key, true));
    note(reader.integer(key, true));
    note(reader.boolean(key, false));
    note(reader.headers(key));
    const auto array = reader.array(key, true);
    note(array);
    if (array && depth < 4) {
      for (const auto& item : **array) {
        if (item.is_object()) read_fields(item.as_object(), reader.field(key) + "[].", depth + 1);
      }
    }
    const auto inner = reader.object(key);
    note(inner);
    if (inner && *inner != nullptr && depth < 4) {
      read_fields(**inner, reader.field(key) + ".", depth + 1);
    }
  }
  note(reader.string("absent", true));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  phishdrill::net::Request request;
  request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  request.body = std::string(phishdrill::fuzz::as_text(data, size));
  const auto body = api::parse_body(request, size % 2 == 0);
  if (!body) {
    check_error(body.error());
    return 0;
  }
  const auto again = json::parse(json::serialize(*body));
  check(same_json(again, json::value(*body)), "an accepted body round-trips");
  read_fields(*body, "", 0);
  return 0;
}
