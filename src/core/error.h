// Error: the one failure type that crosses module boundaries.
//
// Functions that can fail in ways a caller must handle return
// `Result<T>` (std::expected<T, Error>). An Error carries a machine code
// (mapped to an HTTP status by the API layer), a human message, the field at
// fault when there is one, and row-level issues for bulk inputs such as CSV.
// Plain value type; thread-compatible.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace phishdrill {

enum class ErrorCode {
  kBadRequest,              // malformed request (400)
  kInvalidJson,             // body is not a JSON object (400)
  kInvalidUtf8,             // text is not valid UTF-8 (400)
  kUnauthorized,            // no or bad credentials (401)
  kInvalidCredentials,      // login failed (401)
  kForbidden,               // role does not allow it (403)
  kCsrf,                    // cookie session without a valid CSRF token (403)
  kPasswordChangeRequired,  // must change password first (403)
  kNotFound,                // unknown or not yours (404)
  kMethodNotAllowed,        // (405)
  kConflict,                // duplicate unique value (409)
  kPayloadTooLarge,         // (413)
  kUnsupportedMediaType,    // (415)
  kValidation,              // a value breaks a rule (422)
  kUnknownField,            // an object has a key we do not accept (422)
  kInvalidType,             // a value has the wrong JSON type (422)
  kInvalidCsv,              // CSV rows are bad (422), see Error::rows
  kRateLimited,             // (429)
  kInternal,                // (500)
  kUnavailable,             // a backing service (the database) cannot be reached (503)
};

// One bad row of a bulk input. `line` is the 1-based physical line.
struct RowIssue {
  std::size_t line = 0;
  std::string field;
  std::string reason;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;            // empty when no single field is at fault
  std::vector<RowIssue> rows;   // only for kInvalidCsv
  int retry_after_seconds = 0;  // only for kRateLimited
};

template <typename T>
using Result = std::expected<T, Error>;

// Convenience constructor: `return fail(ErrorCode::kValidation, "too long", "name");`
inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string field = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(field), {}, 0});
}

// kNotFound "not found": the one answer for an unknown id and for another
// workspace's, so neither reveals which it was.
inline std::unexpected<Error> not_found() { return fail(ErrorCode::kNotFound, "not found"); }

// Machine code string used in JSON error bodies, e.g. "validation".
const char* error_code_name(ErrorCode code);

namespace detail {
template <typename T, typename E>
T take_value(std::expected<T, E>&& result) {
  return std::move(*result);
}
template <typename E>
void take_value(std::expected<void, E>&&) {}
}  // namespace detail

}  // namespace phishdrill

// PD_TRY(expr): the one way to pass a failure up. Evaluates `expr` (a
// Result<T>, or another std::expected<T, E>); on failure returns its error
// from the enclosing function (which must return an expected with that
// error type); otherwise the expression's value is the T (nothing for
// Result<void>):
//   const Campaign c = PD_TRY(find_campaign(repos, id));
//   PD_TRY(repos.campaigns.update(c));
// Not for coroutines (they need co_return). A GNU statement expression;
// __extension__ keeps -Wpedantic quiet on GCC and clang.
#define PD_TRY(...) PD_TRY_IMPL_(PD_TRY_CONCAT_(pd_try_result_, __COUNTER__), __VA_ARGS__)
#define PD_TRY_CONCAT_(a, b) PD_TRY_CONCAT2_(a, b)
#define PD_TRY_CONCAT2_(a, b) a##b
#define PD_TRY_IMPL_(name, ...)                                 \
  __extension__({                                               \
    auto&& name = (__VA_ARGS__);                                \
    if (!name) return std::unexpected(std::move(name).error()); \
    ::phishdrill::detail::take_value(std::move(name));          \
  })
