// The SPF, DKIM and DMARC outcomes recorded in one Authentication-Results
// header value (RFC 8601): "authserv-id; spf=pass smtp.mailfrom=a.example;
// dkim=fail (bad signature) header.d=b.example; dmarc=none". Comments in
// parentheses (nested too) and quoted strings are skipped as the grammar
// says; a method that appears more than once (one DKIM result per signature)
// passes when any of its results passed. Which header value to trust is the
// caller's choice: only the one our own receiving server added (the topmost)
// says anything, since the sender can write any it likes below it.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

enum class AuthOutcome {
  kAbsent,  // the method was not reported
  kPass,
  kFail,
  kSoftFail,   // SPF only
  kNeutral,    // SPF and DKIM
  kNone,       // no record / no signature / no policy
  kPolicy,     // DKIM: valid but refused by local policy
  kTempError,  // also "temperror"'s older spelling "error"
  kPermError,
  kUnknown,  // a result word RFC 8601 does not define
};

struct MethodResult {
  AuthOutcome outcome = AuthOutcome::kAbsent;
  std::string domain;  // smtp.mailfrom's domain (SPF), header.d (DKIM), header.from (DMARC)
};

struct AuthenticationResults {
  std::string authserv_id;  // who added the header ("mx.example.org"); "" when unreadable
  MethodResult spf;
  MethodResult dkim;
  MethodResult dmarc;
};

// The outcomes in one header value (unfolded or not). Reads at most the first
// 16 KiB and 64 results; anything unreadable is skipped, never an error, so
// the worst outcome of garbage is "absent".
AuthenticationResults parse_authentication_results(std::string_view value);

// "pass", "fail", "softfail", "neutral", "none", "policy", "temperror",
// "permerror", "unknown"; "" for kAbsent.
const char* auth_outcome_name(AuthOutcome outcome);

}  // namespace phishdrill
