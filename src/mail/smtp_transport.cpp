#include "mail/smtp_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <string.h>  // explicit_bzero

#include <algorithm>
#include <array>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "core/email_address.h"
#include "core/idna.h"
#include "outbound/outbound_guard.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxReplyLength = 1000;
constexpr std::size_t kKeptReplies = 4;

void curl_global_once() {
  static std::once_flag once;
  // Never cleaned up: other threads may still hold handles at exit.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SlistFree {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

bool has_line_break_or_nul(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// "DDD", "DDD text" or "DDD-text" with a first digit of 2 to 5 (RFC 5321 4.2).
bool is_reply_line(std::string_view line) {
  return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' &&
         std::all_of(line.begin() + 1, line.begin() + 3,
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

// A line of the EHLO reply announcing RFC 6531 ("250-SMTPUTF8").
bool announces_smtputf8(std::string_view line) {
  constexpr std::string_view kKeyword = "SMTPUTF8";
  if (!line.starts_with("250") || line.size() < 4 + kKeyword.size()) return false;
  for (std::size_t i = 0; i < kKeyword.size(); ++i) {
    const char c = line[4 + i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c) != kKeyword[i]) return false;
  }
  return line.size() == 4 + kKeyword.size() || line[4 + kKeyword.size()] == ' ';
}

std::string_view local_part(std::string_view address) {
  return address.substr(0, std::min(address.rfind('@'), address.size()));
}

// The envelope form of an address: the domain in A-labels, which every relay
// takes; the local part as given (non-ASCII needs SMTPUTF8, checked by the caller).
std::string envelope_address(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::string(address);
  const auto domain = domain_to_ascii(address.substr(at + 1));
  return std::string(address.substr(0, at + 1)) +
         (domain ? *domain : std::string(address.substr(at + 1)));
}

void replace_all(std::string& text, std::string_view secret, std::string_view mask) {
  if (secret.empty()) return;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + mask.size())) {
    text.replace(at, secret.size(), mask);
  }
}

}  // namespace

struct SmtpTransport::Impl {
  SmtpSettings settings;
  CURL* curl = nullptr;
  std::unique_ptr<OutboundGuard> guard;
  std::string url;
  std::string config_error;  // non-empty: every send fails permanently with it
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  // Per send.
  std::string_view upload;
  std::size_t upload_offset = 0;
  std::string partial_line;          // incoming bytes not yet ending in LF
  std::vector<std::string> current;  // lines of the reply being received
  std::vector<std::string> replies;  // the last complete replies, oldest first
  bool any_reply = false;
  CURLcode last_code = CURLE_OK;
  bool needs_smtputf8 = false;  // this send has a non-ASCII local part

  // Per relay (set from any EHLO reply; the relay does not change).
  bool smtputf8_offered = false;

  explicit Impl(SmtpSettings s) : settings(std::move(s)) {}

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
    explicit_bzero(settings.password.data(), settings.password.size());
  }

  static std::size_t read_callback(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    // The data phase starts after EHLO: a UTF-8 address the relay cannot
    // take must not be delivered mangled.
    if (self->needs_smtputf8 && !self->smtputf8_offered) return CURL_READFUNC_ABORT;
    const std::size_t room = size * count;
    const std::size_t n = std::min(room, self->upload.size() - self->upload_offset);
    std::copy_n(self->upload.data() + self->upload_offset, n, buffer);
    self->upload_offset += n;
    return n;
  }

  // Sees what curl exchanges with the server. Only CURLINFO_HEADER_IN (the
  // server's replies) is kept: HEADER_OUT carries the AUTH exchange.
  static int debug_callback(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size,
                            void* user) {
    if (type != CURLINFO_HEADER_IN) return 0;
    auto* self = static_cast<Impl*>(user);
    self->take_reply_bytes(std::string_view(data, size));
    return 0;
  }

  void take_reply_bytes(std::string_view bytes) {
    for (const char c : bytes) {
      if (c == '\n') {
        take_reply_line(std::exchange(partial_line, {}));
      } else if (c != '\r' && partial_line.size() < kMaxReplyLength) {
        const auto byte = static_cast<unsigned char>(c);
        partial_line.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
      }
    }
  }

  // A reply is "DDD-text" lines followed by one "DDD text" (or bare "DDD").
  void take_reply_line(std::string line) {
    if (!is_reply_line(line)) return;
    if (announces_smtputf8(line)) smtputf8_offered = true;
    const bool final_line = line.size() == 3 || line[3] != '-';
    current.push_back(std::move(line));
    if (final_line) {
      std::string reply;
      for (const std::string& part : std::exchange(current, {})) {
        if (!reply.empty()) reply.push_back(' ');
        reply += part;
      }
      if (reply.size() > kMaxReplyLength) reply.resize(kMaxReplyLength);
      if (replies.size() == kKeptReplies) replies.erase(replies.begin());
      replies.push_back(std::move(reply));
      any_reply = true;
    }
  }

  // The reply that carried `code`: after a failure curl may still send QUIT,
  // and its "221 Bye" is not what an operator needs to see.
  std::string reply_text(long code) const {
    const std::string prefix = fmt::format("{:03d}", code);
    for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
      if (it->starts_with(prefix)) return *it;
    }
    return replies.empty() ? std::string() : replies.back();
  }

  // Defence in depth: a broken or hostile relay could echo the credentials.
  std::string scrub(std::string text) const {
    const std::string& password = settings.password;
    if (password.empty()) return text;
    std::string plain_response;
    plain_response.push_back('\0');
    plain_response += settings.username;
    plain_response.push_back('\0');
    plain_response += password;
    const std::string plain_with_authzid = settings.username + plain_response;
    for (const std::string& secret :
         {base64_encode(plain_response), base64_encode(plain_with_authzid), base64_encode(password),
          password}) {
      replace_all(text, secret, "[redacted]");
    }
    return text;
  }

  void reset_send_state(std::string_view mime) {
    upload = mime;
    upload_offset = 0;
    partial_line.clear();
    current.clear();
    replies.clear();
    any_reply = false;
    error_buffer[0] = '\0';
  }

  void setup() {
    if (settings.host.empty()) {
      config_error = "no SMTP host configured";
      return;
    }
    if (settings.port < 1 || settings.port > 65535) {
      config_error = fmt::format("invalid SMTP port {}", settings.port);
      return;
    }
    if (has_line_break_or_nul(settings.host) || has_line_break_or_nul(settings.helo_name) ||
        settings.host.find_first_of("/?#@ ") != std::string::npos) {
      config_error = "invalid SMTP host or EHLO name";
      return;
    }
    curl_global_once();
    curl = curl_easy_init();
    if (curl == nullptr) {
      config_error = "could not initialise libcurl";
      return;
    }
    const bool ipv6 = settings.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + settings.host + "]" : settings.host;
    std::string helo = settings.helo_name.empty() ? "localhost" : settings.helo_name;
    char* escaped = curl_easy_escape(curl, helo.c_str(), static_cast<int>(helo.size()));
    if (escaped != nullptr) {
      helo = escaped;
      curl_free(escaped);
    }
    // The URL path is the EHLO name; implicit TLS uses the smtps scheme.
    url = fmt::format("{}://{}:{}/{}", settings.tls == TlsMode::kTls ? "smtps" : "smtp", host,
                      settings.port, helo);

    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    guard = std::make_unique<OutboundGuard>(settings.outbound, OutboundPurpose::kSmtpRelay,
                                            settings.host);
    guard->install(curl);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer.data());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Impl::read_callback);
    curl_easy_setopt(curl, CURLOPT_READDATA, this);
    // The debug callback only runs in verbose mode; with it set, curl prints
    // nothing itself.
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &Impl::debug_callback);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(settings.connect_timeout.count() * 1000));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(settings.total_timeout.count() * 1000));
    curl_easy_setopt(
        curl, CURLOPT_USE_SSL,
        static_cast<long>(settings.tls == TlsMode::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, settings.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, settings.verify_tls ? 2L : 0L);
    if (!settings.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, settings.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
    }
  }

  SendOutcome perform(std::string_view envelope_from, std::string_view recipient,
                      std::string_view mime) {
    reset_send_state(mime);
    guard->reset();
    needs_smtputf8 = !is_ascii(local_part(envelope_from)) || !is_ascii(local_part(recipient));
    const std::string from = "<" + envelope_address(envelope_from) + ">";
    SlistPtr rcpts(curl_slist_append(nullptr, ("<" + envelope_address(recipient) + ">").c_str()));
    if (!rcpts) return {SendOutcome::Status::kTemporary, 0, "out of memory"};
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpts.get());
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
    const CURLcode code = curl_easy_perform(curl);
    last_code = code;
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, nullptr);
    if (needs_smtputf8 && !smtputf8_offered && any_reply) {
      return {SendOutcome::Status::kPermanent, 0,
              "the address has non-ASCII characters before the @, which needs a relay that "
              "offers SMTPUTF8; this relay does not"};
    }
    return classify(code);
  }

  SendOutcome classify(CURLcode code) const {
    long response = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    // The response code survives from an earlier transfer when this one got
    // no reply at all (e.g. the connection failed).
    const int smtp_code = any_reply ? static_cast<int>(response) : 0;
    const std::string reply = scrub(reply_text(smtp_code));
    std::string error = scrub(error_buffer[0] != '\0' ? std::string(error_buffer.data())
                                                      : std::string(curl_easy_strerror(code)));

    using Status = SendOutcome::Status;
    if (code != CURLE_OK && !any_reply) return unreachable(error);
    if (code == CURLE_OK) {
      if (smtp_code == 0 || (smtp_code >= 200 && smtp_code < 300)) {
        return {Status::kSent, smtp_code, reply};
      }
    }
    // A 4xx/5xx reply decides, whatever error curl mapped it to (a refused
    // RCPT is CURLE_SEND_ERROR, a refused message CURLE_WEIRD_SERVER_REPLY).
    if (smtp_code >= 400 && smtp_code < 500) {
      return {Status::kTemporary, smtp_code, reply.empty() ? error : reply};
    }
    if (smtp_code >= 500 && smtp_code < 600) {
      return {Status::kPermanent, smtp_code, reply.empty() ? error : reply};
    }
    switch (code) {
      case CURLE_OK:  // a success with an unexpected code: let an operator look
      case CURLE_LOGIN_DENIED:
      case CURLE_UNSUPPORTED_PROTOCOL:
      case CURLE_URL_MALFORMAT:
      case CURLE_USE_SSL_FAILED:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_ENGINE_NOTFOUND:
      case CURLE_SSL_ENGINE_SETFAILED:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CRL_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_INVALIDCERTSTATUS:
      case CURLE_SSL_CLIENTCERT:
      case CURLE_AUTH_ERROR:
        return {Status::kPermanent, smtp_code, join(error, reply)};
      default:
        // Connection refused, timeouts, resets, DNS failures and anything
        // unforeseen: worth another try later.
        return {Status::kTemporary, smtp_code, join(error, reply)};
    }
  }

  // No SMTP reply at all: one answer whatever the cause, so that the outcome
  // does not tell a closed port from a silent one or another service.
  SendOutcome unreachable(const std::string& error) const {
    if (guard->refused()) {
      return {SendOutcome::Status::kPermanent, 0, outbound_refusal_message(settings.host)};
    }
    spdlog::info("event=smtp_unreachable host={} port={} error={}", settings.host, settings.port,
                 error);
    return {SendOutcome::Status::kTemporary, 0,
            fmt::format("could not reach an SMTP server at {}:{}", settings.host, settings.port)};
  }

  static std::string join(const std::string& error, const std::string& reply) {
    if (reply.empty() || error.find(reply) != std::string::npos) return error;
    return error + " (" + reply + ")";
  }

  // The failure a kept-alive connection the relay has since closed shows:
  // an error before any reply (not a timeout: retrying a silent relay would
  // only double the wait).
  bool failed_on_stale_connection() const {
    if (any_reply || (last_code != CURLE_SEND_ERROR && last_code != CURLE_RECV_ERROR &&
                      last_code != CURLE_GOT_NOTHING)) {
      return false;
    }
    long new_connections = 0;
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
    return new_connections == 0;  // the transfer used a cached connection
  }
};

SmtpTransport::SmtpTransport(SmtpSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {
  impl_->setup();
}

SmtpTransport::~SmtpTransport() = default;

SendOutcome SmtpTransport::send(std::string_view envelope_from, std::string_view recipient,
                                std::string_view /*message_id*/, std::string_view mime) {
  using Status = SendOutcome::Status;
  if (!impl_->config_error.empty()) return {Status::kPermanent, 0, impl_->config_error};
  for (const std::string_view address : {envelope_from, recipient}) {
    if (has_line_break_or_nul(address) || address.find_first_of("<>") != std::string_view::npos) {
      return {Status::kPermanent, 0, "invalid envelope address"};
    }
  }
  if (recipient.empty()) return {Status::kPermanent, 0, "no recipient"};

  SendOutcome outcome = impl_->perform(envelope_from, recipient, mime);
  // A kept-alive connection the relay has since closed fails before any
  // reply; nothing was accepted, so one immediate retry on a fresh
  // connection is safe and spares the message a retry delay.
  if (outcome.status == Status::kTemporary && impl_->failed_on_stale_connection()) {
    outcome = impl_->perform(envelope_from, recipient, mime);
  }
  return outcome;
}

}  // namespace phishdrill
