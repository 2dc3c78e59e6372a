#include "core/sending_profile.h"

#include "core/ascii.h"
#include "core/email_address.h"

namespace phishdrill {

std::string_view transport_kind_name(TransportKind kind) {
  return kind == TransportKind::kSmtp ? "smtp" : "outbox";
}

std::optional<TransportKind> parse_transport_kind(std::string_view name) {
  if (name == "smtp") return TransportKind::kSmtp;
  if (name == "outbox") return TransportKind::kOutbox;
  return std::nullopt;
}

std::string_view tls_mode_name(TlsMode mode) {
  switch (mode) {
    case TlsMode::kNone:
      return "none";
    case TlsMode::kStartTls:
      return "starttls";
    case TlsMode::kTls:
      return "tls";
  }
  return "none";
}

std::optional<TlsMode> parse_tls_mode(std::string_view name) {
  if (name == "none") return TlsMode::kNone;
  if (name == "starttls") return TlsMode::kStartTls;
  if (name == "tls") return TlsMode::kTls;
  return std::nullopt;
}

namespace {

bool is_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Only a relay on this machine may receive a password over plain text.
bool password_may_travel_in_clear(const SendingProfile& profile) {
  return profile.host == "localhost" || profile.host.starts_with("127.") || profile.host == "::1" ||
         profile.host == "[::1]";
}

Result<void> check_password_encrypted(const SendingProfile& profile, bool has_password) {
  if (profile.kind == TransportKind::kSmtp && profile.tls == TlsMode::kNone && has_password &&
      !password_may_travel_in_clear(profile)) {
    return fail(ErrorCode::kValidation,
                "the password would cross the network unencrypted; choose tls starttls or tls",
                "tls");
  }
  return {};
}

}  // namespace

bool same_relay(const SendingProfile& a, const SendingProfile& b) {
  return a.kind == b.kind && ascii_iequals(a.host, b.host) && a.port == b.port && a.tls == b.tls &&
         a.username == b.username;
}

Result<void> check_profile_update(const SendingProfile& stored, const SendingProfile& updated,
                                  bool password_given) {
  if (password_given || !stored.has_password) return {};
  if (auto ok = check_password_encrypted(updated, true); !ok) return ok;
  if (!same_relay(stored, updated)) {
    return fail(ErrorCode::kValidation,
                "the stored password belongs to the relay it was entered for; enter the password "
                "again (or send \"password\": \"\" to remove it) to change kind, host, port, "
                "tls or username",
                "password");
  }
  return {};
}

Result<void> validate_sending_profile(SendingProfile& profile) {
  profile.name = trim(profile.name);
  profile.host = trim(profile.host);
  profile.from = trim(profile.from);
  if (auto ok = check_line(profile.name, "name", 200, true); !ok) return ok;
  if (profile.kind == TransportKind::kSmtp) {
    if (!is_host(profile.host)) {
      return fail(ErrorCode::kValidation, "host must be a host name or IP address", "host");
    }
    if (profile.port < 1 || profile.port > 65535) {
      return fail(ErrorCode::kValidation, "port must be between 1 and 65535", "port");
    }
    if (auto ok = check_password_encrypted(profile, !profile.password.empty()); !ok) return ok;
  } else if (profile.port < 0 || profile.port > 65535) {
    return fail(ErrorCode::kValidation, "port must be between 0 and 65535", "port");
  }
  if (auto ok = check_line(profile.username, "username", 256, false); !ok) return ok;
  if (profile.password.size() > 1024) {
    return fail(ErrorCode::kValidation, "password is longer than 1024 bytes", "password");
  }
  if (auto mailbox = parse_mailbox(profile.from, "from"); !mailbox) {
    return std::unexpected(mailbox.error());
  }
  if (auto ok = check_headers(profile.headers, "headers"); !ok) return ok;
  if (profile.rate_per_minute < 0 || profile.rate_per_minute > 100000) {
    return fail(ErrorCode::kValidation, "rate_per_minute must be between 0 and 100000",
                "rate_per_minute");
  }
  return {};
}

}  // namespace phishdrill
