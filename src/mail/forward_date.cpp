#include "mail/forward_date.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "core/ascii.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxDateBytes = 200;

struct MonthName {
  std::string_view name;  // lower case, UTF-8
  int month;
};

// Full names; a token names a month when it is one of these or a prefix of at
// least three bytes of names of only one month ("jui" is juin or juillet).
constexpr std::array kMonthNames = {
    MonthName{"january", 1},    MonthName{"januar", 1},     MonthName{"janvier", 1},
    MonthName{"enero", 1},      MonthName{"januari", 1},    MonthName{"jänner", 1},
    MonthName{"february", 2},   MonthName{"februar", 2},    MonthName{"février", 2},
    MonthName{"fevrier", 2},    MonthName{"febrero", 2},    MonthName{"februari", 2},
    MonthName{"march", 3},      MonthName{"märz", 3},       MonthName{"maerz", 3},
    MonthName{"mars", 3},       MonthName{"marzo", 3},      MonthName{"maart", 3},
    MonthName{"april", 4},      MonthName{"avril", 4},      MonthName{"abril", 4},
    MonthName{"may", 5},        MonthName{"mai", 5},        MonthName{"mayo", 5},
    MonthName{"mei", 5},        MonthName{"june", 6},       MonthName{"juni", 6},
    MonthName{"juin", 6},       MonthName{"junio", 6},      MonthName{"july", 7},
    MonthName{"juli", 7},       MonthName{"juillet", 7},    MonthName{"julio", 7},
    MonthName{"august", 8},     MonthName{"août", 8},       MonthName{"aout", 8},
    MonthName{"agosto", 8},     MonthName{"augustus", 8},   MonthName{"september", 9},
    MonthName{"septembre", 9},  MonthName{"septiembre", 9}, MonthName{"setiembre", 9},
    MonthName{"october", 10},   MonthName{"oktober", 10},   MonthName{"octobre", 10},
    MonthName{"octubre", 10},   MonthName{"november", 11},  MonthName{"novembre", 11},
    MonthName{"noviembre", 11}, MonthName{"december", 12},  MonthName{"dezember", 12},
    MonthName{"décembre", 12},  MonthName{"decembre", 12},  MonthName{"diciembre", 12},
};

struct ZoneName {
  std::string_view name;
  int offset_minutes;
};

// RFC 5322's obsolete zones and the European ones clients print.
constexpr std::array kZoneNames = {
    ZoneName{"gmt", 0},       ZoneName{"utc", 0},       ZoneName{"ut", 0},
    ZoneName{"z", 0},         ZoneName{"est", -5 * 60}, ZoneName{"edt", -4 * 60},
    ZoneName{"cst", -6 * 60}, ZoneName{"cdt", -5 * 60}, ZoneName{"mst", -7 * 60},
    ZoneName{"mdt", -6 * 60}, ZoneName{"pst", -8 * 60}, ZoneName{"pdt", -7 * 60},
    ZoneName{"wet", 0},       ZoneName{"west", 60},     ZoneName{"bst", 60},
    ZoneName{"cet", 60},      ZoneName{"cest", 2 * 60}, ZoneName{"eet", 2 * 60},
    ZoneName{"eest", 3 * 60},
};

struct Fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = -1;
  int minute = -1;
  int second = 0;
  char meridiem = 0;  // 'a', 'p' or 0
  std::optional<int> zone_minutes;
};

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Non-negative decimal of at most 4 digits, or -1.
int number(std::string_view text) {
  if (!all_digits(text) || text.size() > 4) return -1;
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

int month_named(std::string_view token) {
  if (token.size() < 3) return 0;
  int found = 0;
  for (const MonthName& month : kMonthNames) {
    if (!month.name.starts_with(token)) continue;
    if (found != 0 && found != month.month) return 0;  // ambiguous prefix
    found = month.month;
  }
  return found;
}

// "+0100", "-05:00", "+1", "-5" (hours when one or two digits).
std::optional<int> signed_offset(std::string_view text) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  std::string digits;
  for (const char c : text.substr(1)) {
    if (c != ':') digits.push_back(c);
  }
  if (!all_digits(digits) || digits.size() > 4 || digits.size() == 3) return std::nullopt;
  int hours = 0;
  int minutes = 0;
  if (digits.size() <= 2) {
    hours = number(digits);
  } else {
    hours = number(digits.substr(0, 2));
    minutes = number(digits.substr(2));
  }
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

std::optional<int> zone(std::string_view token) {
  if (std::optional<int> offset = signed_offset(token); offset && token.size() >= 5) {
    return offset;  // "+0100" or "+01:00"; a bare "+1" only after GMT/UTC
  }
  for (const ZoneName& zone : kZoneNames) {
    if (token == zone.name) return zone.offset_minutes;
    if ((zone.name == "gmt" || zone.name == "utc") && token.starts_with(zone.name)) {
      return signed_offset(token.substr(zone.name.size()));
    }
  }
  return std::nullopt;
}

// "9:14", "09:14:22", "9:14am".
bool read_time(std::string_view token, Fields& fields) {
  std::string_view rest = token;
  if (rest.ends_with("am") || rest.ends_with("pm")) {
    fields.meridiem = rest[rest.size() - 2];
    rest.remove_suffix(2);
  }
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  const int hour = colon <= 2 ? number(rest.substr(0, colon)) : -1;
  std::string_view after = rest.substr(colon + 1);
  const std::size_t second_colon = after.find(':');
  const std::string_view minutes = after.substr(0, second_colon);
  const int minute = minutes.size() == 2 ? number(minutes) : -1;
  int second = 0;
  if (second_colon != std::string_view::npos) {
    const std::string_view seconds = after.substr(second_colon + 1);
    second = seconds.size() == 2 ? number(seconds) : -1;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  fields.hour = hour;
  fields.minute = minute;
  fields.second = second == 60 ? 59 : second;
  return true;
}

// "2025-03-03", "03.03.2025", "3-3-2025", and "a/b/yyyy" when one of a and b
// is over 12.
bool read_numeric_date(std::string_view token, Fields& fields) {
  const char separator = token.find('-') != std::string_view::npos   ? '-'
                         : token.find('.') != std::string_view::npos ? '.'
                         : token.find('/') != std::string_view::npos ? '/'
                                                                     : '\0';
  if (separator == '\0') return false;
  std::vector<int> parts;
  std::size_t start = 0;
  while (start <= token.size()) {
    const std::size_t end = token.find(separator, start);
    parts.push_back(number(token.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 3) return false;
  for (const int part : parts) {
    if (part < 0) return false;
  }
  int year = 0;
  int month = 0;
  int day = 0;
  if (parts[0] >= 1000 && separator == '-') {
    year = parts[0];
    month = parts[1];
    day = parts[2];
  } else if (parts[2] >= 1000 && separator != '/') {
    day = parts[0];
    month = parts[1];
    year = parts[2];
  } else if (parts[2] >= 1000 && (parts[0] > 12) != (parts[1] > 12)) {
    day = parts[0] > 12 ? parts[0] : parts[1];
    month = parts[0] > 12 ? parts[1] : parts[0];
    year = parts[2];
  } else {
    return false;
  }
  fields.year = year;
  fields.month = month;
  fields.day = day;
  return true;
}

std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == ',' || c == '(' || c == ')' || c == '\r' || c == '\n') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(ascii_lower(c));
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = year / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<std::int64_t>(era) * 146097 + day_of_era - 719468;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

void read_token(std::string_view token, Fields& fields) {
  if (token == "am" || token == "a.m." || token == "pm" || token == "p.m.") {
    fields.meridiem = token[0];
    return;
  }
  if (!fields.zone_minutes) {
    if (std::optional<int> offset = zone(token)) {
      fields.zone_minutes = offset;
      return;
    }
  }
  if (fields.hour < 0) {
    // ISO 8601 "2025-03-03T09:14:22Z" carries both.
    if (const std::size_t t = token.find('t');
        t != std::string_view::npos && t > 0 && all_digits(token.substr(0, 1))) {
      std::string_view time = token.substr(t + 1);
      if (time.ends_with('z')) {
        fields.zone_minutes = 0;
        time.remove_suffix(1);
      }
      if (read_numeric_date(token.substr(0, t), fields) && read_time(time, fields)) return;
    }
    if (token.find(':') != std::string_view::npos && read_time(token, fields)) return;
  }
  std::string_view word = token;
  while (word.ends_with('.')) word.remove_suffix(1);
  // Ordinal days: "3rd", "1er".
  for (const std::string_view suffix : {"st", "nd", "rd", "th", "er"}) {
    if (word.size() > suffix.size() && word.ends_with(suffix) &&
        all_digits(word.substr(0, word.size() - suffix.size()))) {
      word.remove_suffix(suffix.size());
    }
  }
  if (fields.year == 0 && read_numeric_date(word, fields)) return;
  if (const int value = number(word); value >= 0) {
    if (word.size() == 4 && fields.year == 0) {
      fields.year = value;
    } else if (word.size() <= 2 && fields.day == 0 && value >= 1 && value <= 31) {
      fields.day = value;
    }
    return;
  }
  if (fields.month == 0) fields.month = month_named(word);
}

}  // namespace

std::optional<std::int64_t> parse_forward_date(std::string_view text,
                                               std::int32_t offset_when_none_seconds) {
  Fields fields;
  for (const std::string& token : tokens(text.substr(0, kMaxDateBytes))) read_token(token, fields);
  if (fields.year < 1970 || fields.year > 9999 || fields.month < 1 || fields.month > 12 ||
      fields.day < 1 || fields.day > days_in_month(fields.year, fields.month) || fields.hour < 0 ||
      fields.minute < 0) {
    return std::nullopt;
  }
  int hour = fields.hour;
  if (fields.meridiem != 0) {
    if (hour < 1 || hour > 12) return std::nullopt;
    if (fields.meridiem == 'p' && hour < 12) hour += 12;
    if (fields.meridiem == 'a' && hour == 12) hour = 0;
  }
  const std::int64_t offset_seconds = fields.zone_minutes
                                          ? static_cast<std::int64_t>(*fields.zone_minutes) * 60
                                          : static_cast<std::int64_t>(offset_when_none_seconds);
  return days_from_civil(fields.year, fields.month, fields.day) * 86400 + hour * 3600 +
         fields.minute * 60 + fields.second - offset_seconds;
}

}  // namespace phishdrill
