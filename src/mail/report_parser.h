// Finds the reported message inside a report: the message someone sent to
// the reporting mailbox (or the report button sent for them) about a
// suspicious one. A report holds it in one of these shapes:
//   attached     a message/rfc822 part (Outlook's report button and "forward
//                as attachment", Gmail, Thunderbird, Apple Mail) or a file
//                whose name ends in .eml, whatever its declared type; `raw` is
//                the attached message's bytes as they are in the report (or
//                the file's decoded bytes). Several attached messages are
//                several reported messages. An attached message that is
//                itself only a wrapper around attached messages (a report
//                forwarded as an attachment: at most kMaxWrapperTextBytes of
//                text, no attachments but images and messages) is replaced
//                by what it wraps, down to kMaxReportNesting levels.
//   inline       the body quotes it under a header block (inline_forward.h):
//                only the quoted From, Subject and Date survive, and the
//                links of the quoted part (from the HTML when there is one).
//                A header block without a marker line above it counts only
//                when the report's subject is a forward ("FW:", "Fwd:",
//                "WG:"…): a redirected message may quote a made-up thread.
//                When the quoted sender is at the reporter's own domain and
//                the text above the next quoted block is short, a colleague
//                forwarded it on, so the next block is read instead. `raw` is
//                the quoted text from its header block down, `text` the
//                quoted body, `html` the report's whole HTML body (the quote is
//                inside it) and the attachments the report's own (clients
//                forward the original's attachments with it).
//   direct       none of these: the report is itself the message (redirected
//                or bounced to the mailbox).
// An Outlook .msg file (application/vnd.ms-outlook, a name ending in .msg, or
// an OLE compound file holding Outlook's "__substg1.0_" streams) is
// recognised and not read: a refusal asks for the message as an attachment
// instead. Parts that cannot be read (broken MIME, damaged base64, encrypted
// bodies, anything beyond a limit) are skipped with a refusal that says why,
// and everything else is kept. Thread-safe (calls gmime_init() itself).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/reported_message.h"

namespace phishdrill {

constexpr std::size_t kMaxReportBytes = 32 * 1024 * 1024;
// Levels of attached messages followed (a report of a report of ...).
constexpr int kMaxReportNesting = 5;
constexpr std::size_t kMaxReportedMessages = 20;
// MIME parts read in one report, all messages together.
constexpr std::size_t kMaxReportParts = 2000;
constexpr std::size_t kMaxLinksPerMessage = 500;
constexpr std::size_t kMaxAttachmentsPerMessage = 100;
constexpr std::size_t kMaxAuthenticationResults = 50;
// Header values (names, subjects, Authentication-Results, file names) are
// cut to this many bytes on a character boundary.
constexpr std::size_t kMaxHeaderValueBytes = 8192;
// The most text a wrapper may hold ("FYI, phishing?") around attached messages.
constexpr std::size_t kMaxWrapperTextBytes = 2000;
constexpr std::size_t kMaxRefusals = 50;

struct ParsedReport {
  std::string reporter;         // the report's From address, lower case ("" when none)
  std::string reporter_name;    // its display name, UTF-8
  std::string message_id;       // the report's own Message-ID, without angle brackets
  std::string subject;          // the report's subject, UTF-8
  std::int64_t date = 0;        // the report's Date as Unix seconds, 0 when none or unreadable
  bool auto_submitted = false;  // Auto-Submitted other than "no" (RFC 3834): no person sent it
  std::vector<ReportedMessage> messages;  // the reported messages found (usually one)
  // Parts that could not be read, each a reason a person can act on.
  std::vector<std::string> refusals;
};

// Fails with kValidation (field "content") only when `raw` is over
// kMaxReportBytes or is not a message at all (empty, or no header).
// Everything else parses, with refusals for what could not be read;
// `messages` may then be empty (say, when the report holds only a .msg).
Result<ParsedReport> parse_report(std::string_view raw);

}  // namespace phishdrill
