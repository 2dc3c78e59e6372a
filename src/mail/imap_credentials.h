// The forms in which the secret of an IMAP login crosses the wire: the
// password itself (LOGIN), the SASL PLAIN response (with and without an
// authorisation identity), the SASL XOAUTH2 initial response, the bare
// secret in base64 (SASL LOGIN). Whatever a server says is searched for all
// of them before it appears in an error or a log line, in case a broken or
// hostile server echoes what it was sent. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

// The forms of the secret in use (the token when `bearer_token` is set,
// otherwise the password), longest first; empty when there is no secret.
std::vector<std::string> imap_secret_forms(std::string_view username, std::string_view password,
                                           std::string_view bearer_token);

// `text` with every occurrence of each form replaced by "[redacted]"
// (forms longest first, so one inside another goes with it).
std::string redact_secrets(std::string text, const std::vector<std::string>& forms);

}  // namespace phishdrill
