#include "mail/imap_mailbox.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <string.h>  // explicit_bzero

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <utility>

#include "core/ascii.h"
#include "core/log_text.h"
#include "core/utf8.h"
#include "mail/imap_credentials.h"
#include "mail/imap_names.h"
#include "mail/imap_response.h"
#include "outbound/outbound_guard.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxCommandAnswer = 8 * 1024 * 1024;
// libcurl keeps about half its receive buffer of one server line and drops
// the middle of a longer one without a word (7.88: "Excessive server response
// line length received ... Stripping"), which would silently lose UIDs of a
// SEARCH answer. The buffer is raised to its maximum (kReceiveBuffer), and a
// search asks for a window of UIDs whose answer (at most 11 bytes a UID)
// stays well inside it.
constexpr long kReceiveBuffer = 512 * 1024;
constexpr std::uint32_t kSearchWindow = 16384;
constexpr std::size_t kMaxServerText = 300;
constexpr std::size_t kMaxTrackedLine = 4096;
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxUsernameLength = 256;
constexpr std::size_t kMaxPasswordLength = 1024;
constexpr std::size_t kMaxTokenLength = 16 * 1024;
constexpr std::size_t kMaxCaFileLength = 4096;
constexpr std::chrono::seconds kMaxTimeout{600};

void curl_global_once() {
  static std::once_flag once;
  // Never cleaned up: other threads may still hold handles at exit.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool has_byte_in(std::string_view text, std::string_view bytes) {
  return text.find_first_of(bytes) != std::string_view::npos;
}

std::unexpected<Error> invalid(std::string message, std::string field) {
  return fail(ErrorCode::kValidation, std::move(message), std::move(field));
}

Result<void> check_settings(const ImapSettings& s) {
  if (s.host.empty()) return invalid("no IMAP host configured", "host");
  if (s.host.size() > kMaxHostLength || has_control_chars(s.host) ||
      has_byte_in(s.host, std::string_view("/?#@ \t\\\0", 8)) || !is_valid_utf8(s.host)) {
    return invalid("invalid IMAP host name", "host");
  }
  if (s.port < 1 || s.port > 65535) return invalid("the port must be 1 to 65535", "port");
  if (s.username.empty()) return invalid("no IMAP user name configured", "username");
  if (s.username.size() > kMaxUsernameLength || has_control_chars(s.username) ||
      !is_valid_utf8(s.username)) {
    return invalid("invalid IMAP user name (control characters, invalid UTF-8 or too long)",
                   "username");
  }
  if (!s.bearer_token.empty()) {
    if (s.bearer_token.size() > kMaxTokenLength)
      return invalid("the token is too long", "bearer_token");
    for (const char c : s.bearer_token) {
      if (c <= ' ' || c >= 0x7F) {
        return invalid("the token must be printable ASCII without spaces", "bearer_token");
      }
    }
  } else {
    if (s.password.empty()) return invalid("no IMAP password configured", "password");
    if (s.password.size() > kMaxPasswordLength)
      return invalid("the password is too long", "password");
    if (has_byte_in(s.password, std::string_view("\r\n\0", 3))) {
      return invalid("the password must not contain line breaks or NUL", "password");
    }
  }
  if (s.ca_file.size() > kMaxCaFileLength || has_control_chars(s.ca_file)) {
    return invalid("invalid CA file path", "ca_file");
  }
  if (s.timeout < std::chrono::seconds(1) || s.timeout > kMaxTimeout) {
    return invalid("the timeout must be 1 to 600 seconds", "timeout");
  }
  return {};
}

bool is_tag(std::string_view text) {
  return text.size() >= 2 && text[0] >= 'A' && text[0] <= 'Z' &&
         std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_flag(const std::vector<std::string>& flags, std::string_view flag) {
  return std::any_of(flags.begin(), flags.end(),
                     [flag](const std::string& f) { return ascii_iequals(f, flag); });
}

std::vector<std::uint32_t> lowest(std::vector<std::uint32_t> uids, std::size_t limit) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  if (uids.size() > limit) uids.resize(limit);
  return uids;
}

}  // namespace

struct ImapMailbox::Impl {
  ImapSettings settings;
  std::string folder_wire;  // modified UTF-7
  CURL* curl = nullptr;
  std::unique_ptr<OutboundGuard> guard;
  std::string server_url;  // imaps://host:port
  std::string folder_url;  // server_url/folder, then with ;UIDVALIDITY=n once known
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  ImapFolderStatus opened{};
  std::optional<std::vector<std::string>> capabilities;
  std::vector<std::string> secrets;  // forms of the credentials that must never be shown

  // Per transfer: the untagged answer of a command, or the message fetched.
  std::string received;
  std::size_t receive_limit = 0;
  bool receive_overflow = false;

  // Per transfer, from the protocol trace (server lines; the command word
  // only of what curl sent, never its arguments).
  std::string partial_line;
  std::string command;     // "SELECT", "UID SEARCH", "AUTHENTICATE", ...
  std::string tag;         // its tag
  std::string completion;  // the server's tagged answer to it, "NO [TRYCREATE] ..."
  bool any_reply = false;  // an IMAP line arrived
  std::string greeting;    // the first line, when it came before any command
  std::optional<std::uint32_t> select_exists;
  std::optional<std::uint32_t> select_validity;
  // Over the object's life: what the last completed SELECT reported.
  std::optional<std::uint32_t> selected_validity;
  std::uint32_t selected_exists = 0;

  explicit Impl(ImapSettings s) : settings(std::move(s)) {}

  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
    explicit_bzero(settings.password.data(), settings.password.size());
    explicit_bzero(settings.bearer_token.data(), settings.bearer_token.size());
    for (std::string& secret : secrets) explicit_bzero(secret.data(), secret.size());
  }

  static std::size_t write_callback(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    const std::size_t n = size * count;
    if (self->received.size() + n > self->receive_limit) {
      self->receive_overflow = true;
      return 0;  // aborts the transfer
    }
    self->received.append(data, n);
    return n;
  }

  static int debug_callback(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size,
                            void* user) {
    auto* self = static_cast<Impl*>(user);
    if (type == CURLINFO_HEADER_IN) self->take_server_bytes(std::string_view(data, size));
    if (type == CURLINFO_HEADER_OUT) self->take_command(std::string_view(data, size));
    return 0;
  }

  // What curl sends carries the credentials (LOGIN, AUTHENTICATE and its
  // continuations): only the tag and the command word are read from a line
  // that starts with a tag, and nothing else is kept.
  void take_command(std::string_view bytes) {
    const std::size_t tag_end = bytes.find(' ');
    if (tag_end == std::string_view::npos || tag_end > 8 || !is_tag(bytes.substr(0, tag_end))) {
      return;
    }
    std::string_view rest = bytes.substr(tag_end + 1);
    std::string word = command_word(rest);
    if (word == "UID") {
      rest.remove_prefix(std::min(rest.size(), std::size_t{4}));
      word += " " + command_word(rest);
    }
    if (word == "LOGOUT") return;  // curl's goodbye after a failure: keep what failed
    tag = std::string(bytes.substr(0, tag_end));
    command = std::move(word);
    completion.clear();
    if (command == "SELECT" || command == "EXAMINE") {
      select_exists.reset();
      select_validity.reset();
    }
  }

  static std::string command_word(std::string_view text) {
    std::string word;
    for (const char c : text) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) || word.size() == 16) break;
      word.push_back(static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c));
    }
    return word;
  }

  void take_server_bytes(std::string_view bytes) {
    for (const char c : bytes) {
      if (c == '\n') {
        take_server_line(std::exchange(partial_line, {}));
      } else if (c != '\r' && partial_line.size() < kMaxTrackedLine) {
        partial_line.push_back(c);
      }
    }
  }

  void take_server_line(std::string_view line) {
    const bool tagged = !tag.empty() && line.size() > tag.size() && line.starts_with(tag) &&
                        line[tag.size()] == ' ';
    if (line.starts_with("* ") || line.starts_with("+") || tagged) {
      if (!any_reply && command.empty()) greeting = server_text(line);
      any_reply = true;
    }
    const bool selecting = command == "SELECT" || command == "EXAMINE";
    if (selecting && line.starts_with("* ")) {
      if (const auto exists = parse_imap_exists(line)) select_exists = exists;
      if (const auto validity = parse_imap_uid_validity(line)) select_validity = validity;
    }
    if (!tagged) return;
    completion = server_text(line.substr(tag.size() + 1));
    if (selecting && ascii_istarts_with(completion, "OK")) {
      selected_validity = select_validity;
      selected_exists = select_exists.value_or(0);
    }
  }

  // Server text fit for an error: UTF-8 (servers echo folder names in it)
  // without control characters, bounded, no credentials.
  std::string server_text(std::string_view text) const {
    std::string out = valid_utf8(utf8_prefix(text, kMaxServerText));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto byte = static_cast<unsigned char>(out[i]);
      const bool c1 =
          byte == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) < 0xA0;
      if (byte < 0x20 || byte == 0x7F) out[i] = '?';
      if (c1) out.replace(i, 2, "?");
    }
    return scrub(std::move(out));
  }

  // Defence in depth: a broken or hostile server could echo the credentials.
  std::string scrub(std::string text) const { return redact_secrets(std::move(text), secrets); }

  Result<void> setup() {
    folder_wire = PD_TRY(encode_imap_folder(settings.folder));
    curl_global_once();
    curl = curl_easy_init();
    if (curl == nullptr) return fail(ErrorCode::kInternal, "could not initialise libcurl");
    secrets = imap_secret_forms(settings.username, settings.password, settings.bearer_token);
    const bool ipv6 = settings.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + settings.host + "]" : settings.host;
    server_url = fmt::format("{}://{}:{}", settings.tls == ImapTls::kImplicit ? "imaps" : "imap",
                             host, settings.port);
    char* escaped =
        curl_easy_escape(curl, folder_wire.c_str(), static_cast<int>(folder_wire.size()));
    if (escaped == nullptr) return fail(ErrorCode::kInternal, "out of memory");
    folder_url = server_url + "/" + escaped;
    curl_free(escaped);

    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    guard = std::make_unique<OutboundGuard>(settings.outbound, OutboundPurpose::kSmtpRelay,
                                            settings.host);
    guard->install(curl);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer.data());
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kReceiveBuffer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::write_callback);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    // The debug callback only runs in verbose mode; with it set, curl prints
    // nothing itself.
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, &Impl::debug_callback);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    const long timeout_ms = static_cast<long>(settings.timeout.count() * 1000);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    // Also bounds the wait for the goodbye (LOGOUT) when the object goes.
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                     static_cast<long>(settings.timeout.count()));
    // Implicit TLS is TLS anyway; for imap:// this makes STARTTLS required.
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, settings.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, settings.verify_tls ? 2L : 0L);
    if (!settings.ca_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_CAINFO, settings.ca_file.c_str());
      curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);  // that file alone, not the system's too
    }
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings.username.c_str());
    if (!settings.bearer_token.empty()) {
      curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
      curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, settings.bearer_token.c_str());
    } else {
      curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
    }
    return {};
  }

  // One transfer: a command (`custom`) on the folder, or (custom null) the
  // fetch that `url` names. What the server sends goes to `received`.
  CURLcode perform(const std::string& url, const char* custom, std::size_t limit) {
    received.clear();
    receive_limit = limit;
    receive_overflow = false;
    partial_line.clear();
    command.clear();
    tag.clear();
    completion.clear();
    any_reply = false;
    greeting.clear();
    error_buffer[0] = '\0';
    guard->reset();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, custom);
    return curl_easy_perform(curl);
  }

  bool uid_validity_changed() const {
    return opened.uid_validity != 0 && selected_validity &&
           *selected_validity != opened.uid_validity;
  }

  std::string curl_error(CURLcode code) const {
    return scrub(error_buffer[0] != '\0' ? std::string(error_buffer.data())
                                         : std::string(curl_easy_strerror(code)));
  }

  std::string with_server_text(std::string message) const {
    if (!completion.empty()) message += " (server: " + completion + ")";
    return message;
  }

  std::string folder_label() const { return "\"" + settings.folder + "\""; }

  static Error error(ErrorCode code, std::string message, std::string field = {}) {
    return Error{code, std::move(message), std::move(field), {}, 0};
  }

  std::string address() const { return fmt::format("{}:{}", settings.host, settings.port); }

  // The error of a failed transfer; `what` names the operation ("UID SEARCH").
  Error failure(CURLcode code, std::string_view what) const {
    if (guard->refused()) {
      return error(ErrorCode::kValidation, outbound_refusal_message(settings.host), "host");
    }
    if (uid_validity_changed()) {
      return error(ErrorCode::kConflict,
                   fmt::format("IMAP {} failed: the folder {} was recreated on the server (its "
                               "UIDVALIDITY changed from {} to {}), so its messages have new "
                               "UIDs; open the mailbox again",
                               what, folder_label(), opened.uid_validity, *selected_validity),
                   "folder");
    }
    if (auto tls = tls_failure(code)) return *std::move(tls);
    if (!any_reply) {
      spdlog::info("event=imap_unreachable host={} port={} step={} error={}",
                   log_value(settings.host), settings.port, log_value(what),
                   log_value(curl_error(code)));
      return error(
          ErrorCode::kUnavailable,
          fmt::format("IMAP connect failed: could not reach an IMAP server at {}", address()),
          "host");
    }
    if (command.empty()) {
      return error(ErrorCode::kUnavailable,
                   fmt::format("IMAP connect failed: the server at {} did not greet as an IMAP "
                               "server ready for a login does (server: {})",
                               address(), greeting),
                   "host");
    }
    return session_failure(code, what);
  }

  // Failures of TLS itself, which may come before any IMAP line (implicit TLS).
  std::optional<Error> tls_failure(CURLcode code) const {
    switch (code) {
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        return error(
            ErrorCode::kValidation,
            fmt::format("IMAP TLS failed: the CA file could not be read ({})", curl_error(code)),
            "ca_file");
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_ISSUER_ERROR:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_INVALIDCERTSTATUS:
        return error(ErrorCode::kUnavailable,
                     fmt::format("IMAP TLS failed: the certificate of {} could not be verified "
                                 "({})",
                                 address(), curl_error(code)),
                     "ca_file");
      case CURLE_USE_SSL_FAILED:
        return error(ErrorCode::kUnavailable,
                     with_server_text(fmt::format(
                         "IMAP TLS failed: the server at {} does not offer STARTTLS", address())),
                     "tls");
      default:
        return std::nullopt;
    }
  }

  // A failure once the server had greeted: named after the step it ended.
  Error session_failure(CURLcode code, std::string_view what) const {
    if (command == "STARTTLS") {
      return error(ErrorCode::kUnavailable,
                   with_server_text(fmt::format("IMAP TLS failed: STARTTLS with {} failed ({})",
                                                address(), curl_error(code))),
                   "tls");
    }
    const bool token = !settings.bearer_token.empty();
    const std::string secret_field = token ? "bearer_token" : "password";
    if (command == "AUTHENTICATE" || command == "LOGIN") {
      return error(
          ErrorCode::kUnavailable,
          with_server_text(fmt::format("IMAP login failed: the server refused the {} of {}",
                                       token ? "token" : "password", settings.username)),
          secret_field);
    }
    if (code == CURLE_LOGIN_DENIED && command == "CAPABILITY") {
      return error(
          ErrorCode::kUnavailable,
          fmt::format("IMAP login failed: the server at {} offers no login method for a {} ({})",
                      address(), token ? "token (SASL XOAUTH2)" : "password", curl_error(code)),
          secret_field);
    }
    if (command == "SELECT" || command == "EXAMINE") {
      return error(ErrorCode::kUnavailable,
                   with_server_text(fmt::format("IMAP select failed: the server refused the "
                                                "folder {}",
                                                folder_label())),
                   "folder");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return error(ErrorCode::kUnavailable,
                   fmt::format("IMAP {} failed: no answer from {} within {} s", what, address(),
                               settings.timeout.count()));
    }
    if (!completion.empty()) {
      return error(ErrorCode::kUnavailable,
                   fmt::format("IMAP {} failed: the server answered {}", what, completion));
    }
    return error(ErrorCode::kUnavailable,
                 fmt::format("IMAP {} failed: {}", what, curl_error(code)));
  }

  // A command on the folder; its untagged answer.
  Result<std::string> run(const std::string& line, std::string_view what) {
    const CURLcode code = perform(folder_url, line.c_str(), kMaxCommandAnswer);
    if (receive_overflow) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("IMAP {} failed: the server's answer is over {} MiB", what,
                              kMaxCommandAnswer / (1024 * 1024)));
    }
    if (code != CURLE_OK || uid_validity_changed()) return std::unexpected(failure(code, what));
    return std::move(received);
  }

  Result<void> open() {
    const CURLcode code = perform(folder_url, "NOOP", kMaxCommandAnswer);
    if (code != CURLE_OK) return std::unexpected(failure(code, "NOOP"));
    if (!selected_validity) {
      return fail(ErrorCode::kUnavailable,
                  fmt::format("IMAP select failed: the server did not tell the folder {}'s "
                              "UIDVALIDITY",
                              folder_label()),
                  "folder");
    }
    opened = {*selected_validity, selected_exists};
    // From now on curl checks, at every SELECT (after a reconnect), that the
    // folder is still the one these UIDs belong to, before sending anything.
    folder_url += fmt::format(";UIDVALIDITY={}", opened.uid_validity);
    return {};
  }

  Result<const std::vector<std::string>*> server_capabilities() {
    if (!capabilities) {
      const std::string answer = PD_TRY(run("CAPABILITY", "CAPABILITY"));
      capabilities = parse_imap_capabilities(answer);
    }
    return &*capabilities;
  }

  Result<bool> can(std::string_view capability) {
    const std::vector<std::string>* names = PD_TRY(server_capabilities());
    return std::find(names->begin(), names->end(), capability) != names->end();
  }

  Result<std::vector<std::uint32_t>> search(const std::string& criteria, std::size_t limit) {
    // A server searches its session's view of the folder, which takes in
    // what was delivered since only when it syncs: at a NOOP, for one.
    PD_TRY(run("NOOP", "NOOP"));
    const std::string answer = PD_TRY(run("UID SEARCH " + criteria, "UID SEARCH"));
    return lowest(PD_TRY(parse_imap_search(answer)), limit);
  }

  // The lowest `limit` UIDs above `after` that match `criteria`, searched
  // one window of UIDs at a time: each answer holds at most kSearchWindow
  // UIDs, so its line stays within what libcurl keeps of one.
  Result<std::vector<std::uint32_t>> search_windows(std::uint32_t after, std::size_t limit,
                                                    const std::string& criteria) {
    if (limit == 0 || after == std::numeric_limits<std::uint32_t>::max()) return {};
    // "UID *" answers the highest UID alone (or nothing in an empty folder).
    const std::vector<std::uint32_t> top = PD_TRY(search("UID *", 1));
    if (top.empty() || top.front() <= after) return {};
    std::vector<std::uint32_t> uids;
    for (std::uint64_t start = std::uint64_t{after} + 1;
         start <= top.front() && uids.size() < limit; start += kSearchWindow) {
      const std::uint64_t end = std::min<std::uint64_t>(top.front(), start + kSearchWindow - 1);
      std::vector<std::uint32_t> found =
          PD_TRY(search(fmt::format("UID {}:{} {}", start, end, criteria), kSearchWindow));
      // "n:m" with no message in it still answers the nearest one the server has.
      std::erase_if(found, [&](std::uint32_t uid) { return uid < start || uid > end; });
      uids.insert(uids.end(), found.begin(), found.end());
    }
    return lowest(std::move(uids), limit);
  }

  Result<void> store(std::string_view uids, std::string_view change, std::string_view flag_list) {
    PD_TRY(run(fmt::format("UID STORE {} {} {}", uids, change, flag_list), "UID STORE"));
    return {};
  }

  // `verb` (UID MOVE or UID COPY) to `quoted_folder`, creating the folder
  // when the server answers TRYCREATE.
  Result<void> transfer(std::string_view uids, std::string_view verb,
                        const std::string& quoted_folder) {
    const std::string line = fmt::format("{} {} {}", verb, uids, quoted_folder);
    CURLcode code = perform(folder_url, line.c_str(), kMaxCommandAnswer);
    if (code != CURLE_OK && !uid_validity_changed() &&
        ascii_ifind(completion, "[TRYCREATE]") != std::string::npos) {
      const CURLcode created =
          perform(folder_url, ("CREATE " + quoted_folder).c_str(), kMaxCommandAnswer);
      if (created != CURLE_OK && ascii_ifind(completion, "[ALREADYEXISTS]") == std::string::npos) {
        return std::unexpected(failure(created, "CREATE"));
      }
      code = perform(folder_url, line.c_str(), kMaxCommandAnswer);
    }
    if (code != CURLE_OK || uid_validity_changed()) return std::unexpected(failure(code, verb));
    return {};
  }

  // \Deleted, then UID EXPUNGE of these messages alone where the server can.
  Result<void> delete_messages(std::string_view uids) {
    PD_TRY(store(uids, "+FLAGS.SILENT", "(\\Deleted)"));
    if (PD_TRY(can("UIDPLUS"))) PD_TRY(run(fmt::format("UID EXPUNGE {}", uids), "UID EXPUNGE"));
    return {};
  }
};

ImapMailbox::ImapMailbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ImapMailbox::ImapMailbox(ImapMailbox&&) noexcept = default;
ImapMailbox& ImapMailbox::operator=(ImapMailbox&&) noexcept = default;
ImapMailbox::~ImapMailbox() = default;

Result<ImapMailbox> ImapMailbox::open(ImapSettings settings) {
  PD_TRY(check_settings(settings));
  auto impl = std::make_unique<Impl>(std::move(settings));
  PD_TRY(impl->setup());
  PD_TRY(impl->open());
  return ImapMailbox(std::move(impl));
}

ImapFolderStatus ImapMailbox::status() const { return impl_->opened; }

Result<std::vector<std::uint32_t>> ImapMailbox::uids_after(std::uint32_t last_uid,
                                                           std::size_t limit) {
  return impl_->search_windows(last_uid, limit, "UNDELETED");
}

Result<std::vector<std::uint32_t>> ImapMailbox::uids_without_keyword(std::string_view keyword,
                                                                     std::size_t limit) {
  PD_TRY(check_imap_keyword(keyword));
  return impl_->search_windows(0, limit, fmt::format("UNDELETED NOT KEYWORD {}", keyword));
}

Result<std::string> ImapMailbox::fetch(std::uint32_t uid, std::size_t max_bytes) {
  if (uid == 0) return invalid("UIDs start at 1", "uid");
  const std::string answer =
      PD_TRY(impl_->run(fmt::format("UID FETCH {} (FLAGS RFC822.SIZE)", uid), "UID FETCH"));
  const auto attributes = PD_TRY(parse_imap_fetch(answer, uid));
  if (!attributes) {
    return fail(ErrorCode::kNotFound, fmt::format("the folder {} has no message with UID {}",
                                                  impl_->folder_label(), uid));
  }
  if (attributes->size && *attributes->size > max_bytes) {
    return fail(ErrorCode::kPayloadTooLarge,
                fmt::format("the message with UID {} is {} bytes, over the limit of {} bytes", uid,
                            *attributes->size, max_bytes));
  }

  // libcurl fetches BODY[], which sets \Seen; BODY.PEEK[] would need a
  // custom command, whose literal libcurl does not read as one.
  const std::string url = fmt::format("{}/;UID={}", impl_->folder_url, uid);
  const CURLcode code = impl_->perform(url, nullptr, max_bytes);
  if (impl_->receive_overflow) {
    return fail(
        ErrorCode::kPayloadTooLarge,
        fmt::format("the message with UID {} is over the limit of {} bytes", uid, max_bytes));
  }
  if (code == CURLE_REMOTE_FILE_NOT_FOUND && !impl_->uid_validity_changed()) {
    return fail(ErrorCode::kNotFound, fmt::format("the folder {} has no message with UID {}",
                                                  impl_->folder_label(), uid));
  }
  if (code != CURLE_OK || impl_->uid_validity_changed()) {
    return std::unexpected(impl_->failure(code, "UID FETCH"));
  }
  std::string message = std::move(impl_->received);

  const bool was_seen = attributes->flags && has_flag(*attributes->flags, "\\Seen");
  if (!was_seen) {
    if (const auto restored = impl_->store(std::to_string(uid), "-FLAGS.SILENT", "(\\Seen)");
        !restored) {
      // The message is fetched; an unread mark lost is no reason to fail.
      spdlog::warn("event=imap_unseen_not_restored host={} uid={} error={}",
                   log_value(impl_->settings.host), uid, log_value(restored.error().message));
    }
  }
  return message;
}

Result<void> ImapMailbox::add_flags(std::uint32_t uid, std::string_view flags) {
  return add_flags(std::span<const std::uint32_t>(&uid, 1), flags);
}

Result<void> ImapMailbox::add_flags(std::span<const std::uint32_t> uids, std::string_view flags) {
  const std::string set = PD_TRY(imap_uid_set(uids));
  const std::string list = PD_TRY(imap_flag_list(flags));
  return impl_->store(set, "+FLAGS.SILENT", list);
}

Result<void> ImapMailbox::move(std::uint32_t uid, std::string_view folder) {
  return move(std::span<const std::uint32_t>(&uid, 1), folder);
}

Result<void> ImapMailbox::move(std::span<const std::uint32_t> uids, std::string_view folder) {
  const std::string set = PD_TRY(imap_uid_set(uids));
  const std::string target = PD_TRY(encode_imap_folder(folder));
  const bool both_inbox =
      ascii_iequals(target, "INBOX") && ascii_iequals(impl_->folder_wire, "INBOX");
  if (target == impl_->folder_wire || both_inbox) {
    return invalid("the message is already in that folder", "folder");
  }
  const std::string quoted = imap_quoted(target);
  if (PD_TRY(impl_->can("MOVE"))) return impl_->transfer(set, "UID MOVE", quoted);
  PD_TRY(impl_->transfer(set, "UID COPY", quoted));
  return impl_->delete_messages(set);
}

Result<void> ImapMailbox::remove(std::uint32_t uid) {
  return remove(std::span<const std::uint32_t>(&uid, 1));
}

Result<void> ImapMailbox::remove(std::span<const std::uint32_t> uids) {
  const std::string set = PD_TRY(imap_uid_set(uids));
  return impl_->delete_messages(set);
}

Result<ImapFolderStatus> test_imap_connection(const ImapSettings& settings) {
  const ImapMailbox mailbox = PD_TRY(ImapMailbox::open(settings));
  return mailbox.status();
}

}  // namespace phishdrill
