// Messages quoted in the body of an inline forward, found by the header block
// mail clients write above each one:
//   Outlook      "-----Original Message-----" or "____…" (or nothing), then
//                From: / Sent: / To: / Cc: / Subject:
//   Gmail        "---------- Forwarded message ---------", then
//                From: / Date: / Subject: / To:
//   Apple Mail   "Begin forwarded message:", a blank line, then
//                From: / Subject: / Date: / To: (iOS quotes them with "> ")
//   Thunderbird  "-------- Forwarded Message --------", then
//                Subject: / Date: / From: / Reply-To: / To:
// and the same with the field names of German, French, Spanish, Dutch and
// Italian clients ("Von:", "Gesendet:", "Betreff:", "De :", "Objet :"…). A
// block is a run of consecutive "Name: value" lines with a From and a
// Subject or date; it counts when a marker line stands just above it (blank
// lines between allowed), or without one when it has at least three fields
// (Outlook's plain "From/Sent/To/Subject"). Quote marks (">") before the
// lines are allowed. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

struct ForwardBlock {
  std::size_t begin = 0;       // offset of the marker line, or of the first header line
  std::size_t body_begin = 0;  // offset just past the header block: the quoted body starts here
  int quote_depth = 0;         // ">" marks before the header lines
  bool marked = false;         // a marker line stands above it ("Forwarded message"…)
  std::string from_name;       // UTF-8, unquoted ("" when the block shows only an address)
  std::string from_address;    // lower case ("" when the block shows only a name)
  std::string subject;
  std::string date;  // as written ("" when none); forward_date.h reads it
  std::string to;    // as written
};

// The header blocks of `text` in order (an outer forward's block comes before
// the blocks of the messages quoted inside it), at most `max_blocks`.
std::vector<ForwardBlock> find_forward_blocks(std::string_view text, std::size_t max_blocks);

// `text` with up to `depth` leading quote marks ("> " or ">") removed from
// each line and leading blank lines dropped.
std::string unquote(std::string_view text, int depth);

}  // namespace phishdrill
