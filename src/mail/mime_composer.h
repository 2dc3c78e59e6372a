// compose_mime(): turns an OutgoingMessage into RFC 5322 bytes with GMime.
//
// Structure: text only → text/plain; HTML only → text/html; both →
// multipart/alternative (text first). Inline images (attachments whose
// content type is image/* and whose name the HTML references as "cid:NAME")
// go in a multipart/related around the HTML part, with Content-ID <NAME>;
// other attachments make the whole a multipart/mixed; an attachment of type
// message/rfc822 that holds an email is attached as that email (unencoded,
// as MIME requires). Display names and the
// subject are RFC 2047 encoded when not plain ASCII; internationalised domains
// in From and To are written in A-labels (a non-ASCII local part stays UTF-8); bodies use
// quoted-printable or base64 as GMime judges best (7-bit safe output, lines
// ≤ 998 octets). Headers: From, To, Subject, Date (RFC 5322, +0000),
// Message-ID, MIME-Version, then the custom headers in order (a custom
// header may not replace From/To/Subject/Date/Message-ID/MIME-Version/
// Content-*; such entries are dropped). Nothing identifies the product: no
// X-Mailer, no boundary or Message-ID pattern naming Phishdrill.
// Line ends are CRLF. Thread-safe after gmime_init() (see eml_import.h).
#pragma once

#include <string>

#include "core/error.h"
#include "mail/outgoing_message.h"

namespace phishdrill {

Result<std::string> compose_mime(const OutgoingMessage& message);

// A new unique Message-ID (without brackets): 128 random bits, hex, "@" the
// domain of `from_address` (or "localhost").
std::string new_message_id(std::string_view from_address);

}  // namespace phishdrill
