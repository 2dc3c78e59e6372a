#include "training/tar_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "core/utf8.h"

namespace phishdrill {
namespace {

constexpr std::size_t kBlock = 512;
// pax and GNU long-name payloads are names and a few numbers, never large.
constexpr std::uint64_t kMaxMetaBytes = 64 * 1024;

// Header field offsets (POSIX.1-1988 ustar; GNU shares the ones we read).
constexpr std::size_t kName = 0, kNameLen = 100;
constexpr std::size_t kSize = 124, kSizeLen = 12;
constexpr std::size_t kChecksum = 148, kChecksumLen = 8;
constexpr std::size_t kType = 156;
constexpr std::size_t kMagic = 257;
constexpr std::size_t kPrefix = 345, kPrefixLen = 155;

std::string printable(std::string_view name) {
  std::string out;
  for (const char c : valid_utf8(utf8_prefix(name, 200))) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

std::unexpected<Error> refused(std::string_view name, std::string_view problem) {
  if (name.empty()) return fail(ErrorCode::kValidation, fmt::format("archive: {}", problem));
  return fail(ErrorCode::kValidation,
              fmt::format("archive entry \"{}\": {}", printable(name), problem));
}

std::unexpected<Error> truncated(std::string_view name) {
  return refused(name, "the archive is truncated");
}

// A NUL-terminated field (which may fill its whole width without a NUL).
std::string_view c_string(std::string_view field) {
  return field.substr(0, std::min(field.find('\0'), field.size()));
}

// Octal digits, optionally surrounded by spaces and ended by NUL or space.
// Base-256 (GNU, high bit set) only appears for sizes far over any limit.
std::optional<std::uint64_t> parse_octal(std::string_view field) {
  if (field.empty() || (static_cast<unsigned char>(field[0]) & 0x80) != 0) return std::nullopt;
  std::size_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  std::uint64_t value = 0;
  bool digits = false;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (value > (UINT64_MAX >> 3)) return std::nullopt;
    value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
    digits = true;
  }
  for (; i < field.size(); ++i) {
    if (field[i] != ' ' && field[i] != '\0') return std::nullopt;
  }
  if (!digits) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

bool all_zero(std::string_view block) {
  return std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
}

// The stored checksum is the sum of the header bytes with the checksum field
// read as spaces; historic writers summed signed chars, so accept either.
bool checksum_matches(std::string_view block) {
  const auto stored = parse_octal(block.substr(kChecksum, kChecksumLen));
  if (!stored) return false;
  std::uint64_t unsigned_sum = 0;
  std::int64_t signed_sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    const bool in_field = i >= kChecksum && i < kChecksum + kChecksumLen;
    const char c = in_field ? ' ' : block[i];
    unsigned_sum += static_cast<unsigned char>(c);
    signed_sum += static_cast<signed char>(c);
  }
  return *stored == unsigned_sum || static_cast<std::int64_t>(*stored) == signed_sum;
}

struct PaxOverrides {
  std::optional<std::string> path;
  std::optional<std::uint64_t> size;
};

// Records are "<length> <key>=<value>\n", the length counting the whole record.
Result<void> parse_pax(std::string_view data, PaxOverrides& out) {
  while (!data.empty()) {
    const auto space = data.find(' ');
    const auto length =
        space == std::string_view::npos ? std::nullopt : parse_decimal(data.substr(0, space));
    if (!length || *length <= space + 1 || *length > data.size() || data[*length - 1] != '\n') {
      return refused("", "malformed pax extended header");
    }
    std::string_view record = data.substr(space + 1, *length - space - 2);
    const auto equals = record.find('=');
    if (equals == std::string_view::npos) return refused("", "malformed pax extended header");
    const std::string_view key = record.substr(0, equals);
    const std::string_view value = record.substr(equals + 1);
    if (key == "path") {
      out.path = std::string(value);
    } else if (key == "size") {
      out.size = parse_decimal(value);
      if (!out.size) return refused("", "malformed pax size record");
    }
    data.remove_prefix(*length);
  }
  return {};
}

// Strips one leading "./" and a directory's trailing '/', then checks that
// every component is a plain name. Empty result = the archive root.
Result<std::string> normalise(std::string name, bool directory) {
  const std::string original = name;
  if (name.starts_with("./")) name.erase(0, 2);
  if (directory && name.ends_with('/')) name.pop_back();
  if (name.empty()) {
    if (directory) return name;
    return refused(original, "a file needs a name");
  }
  if (name.front() == '/') return refused(original, "absolute paths are not allowed");
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') {
      return refused(original, "control characters and backslashes are not allowed in names");
    }
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('/', start), name.size());
    const std::string_view part = std::string_view(name).substr(start, end - start);
    if (part.empty()) return refused(original, "empty path component");
    if (part == "." || part == "..") return refused(original, "\".\" and \"..\" are not allowed");
    start = end + 1;
  }
  return name;
}

std::string_view type_problem(char type) {
  switch (type) {
    case '1':
    case '2':
    case 'K':
      return "links are not allowed";
    case '3':
    case '4':
      return "device files are not allowed";
    case '6':
      return "FIFOs are not allowed";
    default:
      return "only regular files and directories are allowed";
  }
}

}  // namespace

Result<std::vector<TarEntry>> read_tar(std::string_view archive, const TarLimits& limits) {
  std::vector<TarEntry> entries;
  std::set<std::string> seen;     // every entry's path
  std::set<std::string> files;    // regular files' paths
  std::set<std::string> parents;  // every folder some entry lives in
  std::uint64_t unpacked = 0;
  PaxOverrides pending;
  std::size_t pos = 0;
  while (true) {
    if (archive.size() < kBlock) return refused("", "not a tar archive, or truncated");
    if (archive.size() - pos < kBlock) {
      return refused("", "the archive is truncated (no end marker)");
    }
    const std::string_view block = archive.substr(pos, kBlock);
    if (all_zero(block)) {
      if (archive.size() - pos - kBlock < kBlock) {
        return refused("", "the archive is truncated (no end marker)");
      }
      if (!all_zero(archive.substr(pos + kBlock, kBlock))) {
        return refused("", "a lone zero block inside the archive");
      }
      if (pending.path || pending.size) return refused("", "an extended header without an entry");
      break;
    }
    std::string header_name(c_string(block.substr(kName, kNameLen)));
    const bool posix = block.substr(kMagic, 6) == std::string_view("ustar\0", 6);
    if (!posix && block.substr(kMagic, 8) != std::string_view("ustar  \0", 8)) {
      return refused(header_name, "not a ustar header (unsupported tar format)");
    }
    if (!checksum_matches(block)) return refused(header_name, "header checksum mismatch");
    const auto header_size = parse_octal(block.substr(kSize, kSizeLen));
    if (!header_size) return refused(header_name, "size field is invalid or too large");
    const char type = block[kType];
    pos += kBlock;

    if (type == 'x' || type == 'g' || type == 'L') {
      if (*header_size > kMaxMetaBytes) return refused(header_name, "extended header too large");
      const auto padded = (*header_size + kBlock - 1) / kBlock * kBlock;
      if (padded > archive.size() - pos) return truncated(header_name);
      const std::string_view data = archive.substr(pos, *header_size);
      pos += padded;
      if (type == 'x') {
        if (auto ok = parse_pax(data, pending); !ok) return std::unexpected(ok.error());
      } else if (type == 'L') {
        pending.path = std::string(c_string(data));
      }  // 'g': global defaults (times, owners) mean nothing to us
      continue;
    }

    std::string name = pending.path.value_or(header_name);
    if (!pending.path && posix) {
      const std::string_view prefix = c_string(block.substr(kPrefix, kPrefixLen));
      if (!prefix.empty()) name = fmt::format("{}/{}", prefix, name);
    }
    const std::uint64_t size = pending.size.value_or(*header_size);
    pending = {};

    const bool directory = type == '5';
    if (!directory && type != '0' && type != '\0') return refused(name, type_problem(type));
    auto path = normalise(name, directory);
    if (!path) return std::unexpected(path.error());
    if (!directory) {
      unpacked += size;
      if (unpacked > limits.max_unpacked_bytes) {
        return refused(name, fmt::format("the archive unpacks to more than {} MiB",
                                         limits.max_unpacked_bytes >> 20));
      }
    }
    // Guard against overflow before rounding up: size may be huge here.
    if (size > archive.size() - pos) return truncated(name);
    const auto padded = (size + kBlock - 1) / kBlock * kBlock;
    if (padded > archive.size() - pos) return truncated(name);
    const std::string_view data = archive.substr(pos, size);
    pos += padded;
    if (path->empty()) continue;  // the "./" root entry

    if (entries.size() + 1 > limits.max_entries) {
      return refused(name, fmt::format("the archive has more than {} entries", limits.max_entries));
    }
    if (!seen.insert(*path).second || (!directory && parents.contains(*path))) {
      return refused(name, "the name appears more than once");
    }
    for (auto slash = path->find('/'); slash != std::string::npos;
         slash = path->find('/', slash + 1)) {
      std::string parent = path->substr(0, slash);
      if (files.contains(parent)) return refused(name, "a file is used as a folder");
      parents.insert(std::move(parent));
    }
    TarEntry entry;
    entry.path = std::move(*path);
    entry.type = directory ? TarEntry::Type::kDirectory : TarEntry::Type::kFile;
    if (!directory) {
      files.insert(entry.path);
      entry.data = std::string(data);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace phishdrill
