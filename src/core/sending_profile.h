// A sending profile: how simulated mail leaves Phishdrill — through an SMTP
// relay or into the on-disk outbox. Pure data plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/text_rules.h"

namespace phishdrill {

enum class TransportKind { kSmtp, kOutbox };
enum class TlsMode { kNone, kStartTls, kTls };

std::string_view transport_kind_name(TransportKind kind);
std::optional<TransportKind> parse_transport_kind(std::string_view name);
std::string_view tls_mode_name(TlsMode mode);
std::optional<TlsMode> parse_tls_mode(std::string_view name);

struct SendingProfile {
  std::int64_t id = 0;
  std::string name;
  TransportKind kind = TransportKind::kOutbox;
  std::string host;
  int port = 0;
  TlsMode tls = TlsMode::kNone;
  std::string username;
  std::string password;  // plain text in memory only; encrypted at rest, never returned
  bool has_password = false;
  std::string from;
  std::vector<HeaderField> headers;
  int rate_per_minute = 0;  // 0 = unlimited
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// name 1-200; smtp needs a host (hostname or IP literal, at most 253 chars)
// and a port in 1..65535; from is a valid mailbox; username single line;
// headers valid; rate_per_minute in 0..100000. Trims name, host and from.
Result<void> validate_sending_profile(SendingProfile& profile);

// The settings a stored password was entered for: kind, host (case-
// insensitive), port, TLS mode and username.
bool same_relay(const SendingProfile& a, const SendingProfile& b);

// An update that gives no password keeps the stored one only for the relay
// it was entered for: changing kind, host, port, TLS mode or username with a
// stored password and no new one is refused (field "password"), so nobody can
// point a colleague's credentials at a listener of their own. A kept password
// also may not travel in clear (tls none to a host other than this machine;
// field "tls"). `updated` is validated; `password_given` says whether the
// request had a "password" field (an empty one clears the stored password).
Result<void> check_profile_update(const SendingProfile& stored, const SendingProfile& updated,
                                  bool password_given);

}  // namespace phishdrill
