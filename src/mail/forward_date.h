// The date in the header block of an inline forward, as mail clients write it
// for people rather than as RFC 5322 does: Outlook's "Monday, March 3, 2025
// 9:14 AM", Gmail's "Mon, Mar 3, 2025 at 9:14 AM", Apple Mail's "3 March 2025
// at 09:14:22 GMT+1", Thunderbird's RFC 5322 date, and the same in German,
// French, Spanish and Dutch ("Montag, 3. März 2025 09:14", "lundi 3 mars
// 2025 09:14"), or numeric ("2025-03-03 09:14", "03.03.2025 09:14", and
// "d/m/y" only when the day is over 12, since "3/4/2025" is March or April
// depending on the forwarder's locale). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace phishdrill {

// Unix seconds, or nullopt when `text` does not name a whole date (day,
// month, year) and time (hours and minutes) or names an impossible one. A
// date without a zone (Outlook writes none) is read at
// `offset_when_none_seconds` east of UTC: the caller passes the offset of the
// forwarding message's own Date header, since the forwarder's client wrote
// the quoted time on the same clock. Reads the first 200 bytes.
std::optional<std::int64_t> parse_forward_date(std::string_view text,
                                               std::int32_t offset_when_none_seconds);

}  // namespace phishdrill
