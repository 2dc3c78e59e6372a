// ImapMailbox: one folder of a reporting mailbox, read over IMAP with libcurl
// — implicit TLS (imaps) or required STARTTLS, never in clear; the server's
// certificate and host name verified (against `ca_file` alone when set);
// login with a password, or SASL XOAUTH2 when a bearer token is set. One
// connection, opened and the folder selected by open(), kept for every later
// call (libcurl reconnects, logs in and selects again by itself if the server
// dropped it). Every address connected to passes the OutboundPolicy first.
//
// UIDs: every UID given to or returned by an ImapMailbox belongs to the
// folder's uid_validity() as open() saw it. Should the folder be recreated
// while it is open (a new UIDVALIDITY seen on a reconnect), libcurl stops
// before sending the command and every later call fails with a message that
// says so: no flag, move or removal ever lands on a message the caller did
// not mean. Open again and start over from the new uid_validity().
//
// Reading never marks a message \Seen that was not (fetch() puts the flag
// back if the server set it), so a person reading the same mailbox still
// sees what is new. Messages flagged \Deleted (moved or removed but not yet
// expunged) are never listed.
//
// Errors: a failure to connect, to set up TLS, to log in or to select the
// folder says which step failed ("IMAP login failed: ...") and names the
// setting at fault in Error::field (host, ca_file, password, bearer_token,
// folder, ...). Where no IMAP server answered at all, the message is the same
// whatever the cause ("could not reach an IMAP server at host:port"; the
// details go to the server log), so a mailbox setting cannot serve as a port
// scanner; a certificate that fails verification is named as such. The
// password and the token never appear in an error or a log line (nor does
// their base64, in case a server echoes a SASL exchange). Server text in an
// error is UTF-8 without control characters, at most 300 bytes.
//
// Limits: a server answer to a command is kept up to 8 MiB (a SEARCH over
// about a million messages), a fetched message up to the caller's max_bytes.
// Thread-compatible: one thread at a time per object; objects are
// independent.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/outbound_policy.h"

namespace phishdrill {

enum class ImapTls {
  kImplicit,  // imaps, TLS from the first byte (port 993)
  kStartTls,  // imap, STARTTLS required before anything else (port 143)
};

struct ImapSettings {
  std::string host;
  int port = 993;
  ImapTls tls = ImapTls::kImplicit;
  std::string username;
  std::string password;              // used when bearer_token is empty
  std::string bearer_token;          // OAuth 2.0 access token: SASL XOAUTH2 when set
  std::string folder = "INBOX";      // UTF-8; sent in modified UTF-7
  std::string ca_file;               // PEM file of the CAs to trust instead of the system's
  bool verify_tls = true;            // verify the certificate and host name (off: tests only)
  std::chrono::seconds timeout{30};  // to connect, and for each command
  OutboundPolicy outbound{};         // which addresses the server may resolve to
};

struct ImapFolderStatus {
  std::uint32_t uid_validity = 0;
  std::uint32_t messages = 0;  // EXISTS when the folder was selected
};

class ImapMailbox {
 public:
  // Connects, logs in and selects settings.folder. Settings are checked
  // first (kValidation naming the field: host, port, username, password,
  // bearer_token, folder, ca_file, timeout).
  static Result<ImapMailbox> open(ImapSettings settings);

  ImapMailbox(ImapMailbox&&) noexcept;
  ImapMailbox& operator=(ImapMailbox&&) noexcept;
  ~ImapMailbox();  // logs out

  // The folder's UIDVALIDITY and message count when open() selected it.
  ImapFolderStatus status() const;
  std::uint32_t uid_validity() const { return status().uid_validity; }

  // UIDs above `last_uid`, ascending, at most `limit` (the lowest ones).
  // Both searches first let the server catch up (NOOP), so that they see
  // what was delivered since the last call.
  Result<std::vector<std::uint32_t>> uids_after(std::uint32_t last_uid, std::size_t limit);

  // UIDs of the messages without `keyword` (not yet processed), ascending,
  // at most `limit` (the lowest ones).
  Result<std::vector<std::uint32_t>> uids_without_keyword(std::string_view keyword,
                                                          std::size_t limit);

  // The message's exact bytes. kNotFound when the folder has no message
  // `uid`; kPayloadTooLarge when its size (RFC822.SIZE, asked first) is over
  // `max_bytes`, or the server sends more than that anyway.
  Result<std::string> fetch(std::uint32_t uid, std::size_t max_bytes);

  // Adds flags: a space-separated list of system flags (\Seen, \Flagged,
  // ...) and keywords ($PhishdrillDone). A message that no longer exists is
  // not an error (IMAP answers OK and changes nothing).
  Result<void> add_flags(std::uint32_t uid, std::string_view flags);
  // The same for several messages in one command (kValidation for an empty
  // set or a UID 0).
  Result<void> add_flags(std::span<const std::uint32_t> uids, std::string_view flags);

  // Moves the message to `folder` (UTF-8), creating the folder when the
  // server says it does not exist. UID MOVE when the server offers MOVE;
  // otherwise COPY, then \Deleted and UID EXPUNGE of this one message
  // (UIDPLUS); a server with neither keeps the original, flagged \Deleted,
  // until any client expunges. Moving to the folder itself is refused.
  Result<void> move(std::uint32_t uid, std::string_view folder);
  Result<void> move(std::span<const std::uint32_t> uids, std::string_view folder);

  // Deletes the message for good: \Deleted and UID EXPUNGE of this one
  // message (a server without UIDPLUS keeps it, flagged \Deleted, until any
  // client expunges; a plain EXPUNGE would also remove what others marked).
  Result<void> remove(std::uint32_t uid);
  Result<void> remove(std::span<const std::uint32_t> uids);

 private:
  struct Impl;
  explicit ImapMailbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The admin's "test connection": connects, logs in, selects the folder and
// answers its UIDVALIDITY and message count, or the error of the step that
// failed (as ImapMailbox::open).
Result<ImapFolderStatus> test_imap_connection(const ImapSettings& settings);

}  // namespace phishdrill
