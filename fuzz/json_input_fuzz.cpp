// Fuzzes JSON input to the admin API: parse_body (content type, UTF-8,
// syntax, depth) and the strict FieldReader over every key with every reader,
// recursing into objects and arrays of objects, then the error envelope.
// Invariants: an accepted body re-serialises to an equal object; every error
// has a message and its envelope is valid JSON.
#include <boost/json.hpp>

#include "api/json_io.h"
#include "fuzz_input.h"

using phishdrill::fuzz::check;
namespace api = phishdrill::api;
namespace json = boost::json;

namespace {

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
  check(again.is_object() && again.as_object() == *body, "an accepted body round-trips");
  read_fields(*body, "", 0);
  return 0;
}
