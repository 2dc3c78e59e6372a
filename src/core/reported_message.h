// What a reported message shows an analyst and the matcher, read out of the
// report someone sent to a reporting mailbox (or through the report button):
// its headers, links with their shown text, attachments with their digests,
// and how it reached us (attached, or quoted in an inline forward). Filled by
// `mail/report_parser.h`; judged by `core/report_evidence.h`. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace phishdrill {

// How the reported message was found inside the report.
enum class ReportShape {
  kAttached,       // a message/rfc822 part or an .eml attachment: headers intact
  kInlineForward,  // quoted in the report's body: only the quoted header lines survive
  kDirect,         // the report is itself the message (sent or redirected as is)
};

// A link in the reported message: where it really goes and what it showed.
struct ReportedLink {
  std::string href;    // as written in the message (possibly wrapped by a gateway)
  std::string text;    // the text shown for it ("" for a bare URL or an image source)
  bool image = false;  // an <img src> (a tracking pixel is one)
};

struct ReportedAttachment {
  std::string name;          // file name as given ("" when none)
  std::string content_type;  // lower case, e.g. "application/pdf"
  std::int64_t size = 0;     // decoded bytes
  std::string sha256;        // lower-case hex of the decoded bytes
};

struct ReportedMessage {
  ReportShape shape = ReportShape::kAttached;
  std::string from_name;     // display name, decoded to UTF-8 ("" when none)
  std::string from_address;  // lower-case address ("" when none or unreadable)
  std::string reply_to;      // first Reply-To address ("" when none)
  std::string return_path;   // Return-Path address ("" when none)
  std::string subject;       // decoded to UTF-8
  std::string message_id;    // without angle brackets ("" when none)
  std::int64_t date = 0;     // Date header as Unix seconds (0 when none or unreadable)
  // Authentication-Results header values, topmost (the last relay's) first.
  std::vector<std::string> authentication_results;
  std::string text;  // the plain text body (or the HTML's text when there is none), UTF-8
  std::string html;  // the HTML body as sent, UTF-8 ("" when none)
  std::vector<ReportedLink> links;
  std::vector<ReportedAttachment> attachments;
  std::string raw;  // the message's own bytes (for an inline forward: the quoted text)
};

}  // namespace phishdrill
