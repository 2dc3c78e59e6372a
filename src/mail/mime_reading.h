// Reading parsed MIME (GMime) objects: a leaf part's decoded bytes, a text
// part as UTF-8 whatever its declared charset, a header value as one clean
// UTF-8 line, and what a part says about itself (file name, disposition,
// type). Shared by the .eml importer and the report parser. GMime decodes
// leniently (broken base64 or quoted-printable yields what it can), and these
// never fail: what cannot be converted is replaced, never passed through as
// invalid UTF-8. Thread-safe after gmime_init() (each call reads only the
// objects it is given).
#pragma once

#include <gmime/gmime.h>

#include <string>

namespace phishdrill {

// The whole content of a memory stream ("" when empty).
std::string stream_bytes(GMimeStream* stream);

// The bytes of a leaf part with its Content-Transfer-Encoding undone.
std::string decoded_content(GMimePart* part);

// A text part decoded to UTF-8 without NUL bytes. The declared charset wins;
// when it is missing, unknown or wrong (bytes that are not valid UTF-8 after
// conversion), GMime guesses from the bytes, which in practice means Latin-1
// for Western mail.
std::string text_body(GMimePart* part);

// A decoded header value as one UTF-8 line: invalid sequences replaced, line
// breaks and tabs turned into spaces, other controls dropped, trimmed. "" for
// nullptr.
std::string header_line(const char* value);

// True for UTF-7 and its variants (utf-7-imap, unicode-1-1-utf-7, ...): text
// in it can spell markup with plain-looking ASCII ("+ADw-script+AD4-").
bool is_utf7(const char* charset);

const char* declared_charset(GMimeObject* object);
bool has_attachment_disposition(GMimeObject* object);

// The file name a part declares (Content-Disposition filename, else
// Content-Type name), decoded; nullptr when none. Borrowed from `object`.
const char* declared_filename(GMimeObject* object);
bool has_filename(GMimeObject* object);

// The part's "type/subtype" in lower case ("application/octet-stream" when unreadable).
std::string mime_type(GMimeObject* object);

}  // namespace phishdrill
