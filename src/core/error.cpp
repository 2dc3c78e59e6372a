#include "core/error.h"

namespace phishdrill {

const char* error_code_name(ErrorCode code) {
  // No default: -Wswitch flags a new enumerator that has no name yet.
  switch (code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kInvalidUtf8:
      return "invalid_utf8";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kInvalidCredentials:
      return "invalid_credentials";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kCsrf:
      return "csrf";
    case ErrorCode::kPasswordChangeRequired:
      return "password_change_required";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kValidation:
      return "validation";
    case ErrorCode::kUnknownField:
      return "unknown_field";
    case ErrorCode::kInvalidType:
      return "invalid_type";
    case ErrorCode::kInvalidCsv:
      return "invalid_csv";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
  }
  // An out-of-range value (e.g. a cast from a corrupt integer) is an internal fault.
  return "internal";
}

}  // namespace phishdrill
