// Test helper: builds tar archives in memory, header by header, so the tests
// can make both well-formed archives and the broken or hostile ones that the
// real tar command (and training/tar_writer.h) refuses to write. Test-only; plain value type.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace phishdrill::test {

struct TarHeader {
  explicit TarHeader(std::string entry_name) : name(std::move(entry_name)) {}
  TarHeader& of_type(char t) {
    type = t;
    return *this;
  }
  TarHeader& with_data(std::string d) {
    data = std::move(d);
    return *this;
  }
  TarHeader& with_prefix(std::string p) {
    prefix = std::move(p);
    return *this;
  }
  TarHeader& with_size(std::uint64_t s) {
    size = s;
    return *this;
  }
  TarHeader& gnu() {
    gnu_magic = true;
    return *this;
  }
  TarHeader& corrupt_checksum() {
    bad_checksum = true;
    return *this;
  }
  TarHeader& link_to(std::string target) {
    linkname = std::move(target);
    return *this;
  }

  std::string name;
  char type = '0';
  std::string data;
  std::string prefix;                 // ustar prefix field
  std::optional<std::uint64_t> size;  // size field, when not data.size()
  bool gnu_magic = false;             // "ustar  \0" instead of "ustar\0" "00"
  bool bad_checksum = false;
  std::string linkname;
};

class TarWriter {
 public:
  TarWriter& add(const TarHeader& h) {
    std::string block(512, '\0');
    block.replace(0, std::min<std::size_t>(h.name.size(), 100), h.name.substr(0, 100));
    octal(block, 100, 8, 0644);
    octal(block, 108, 8, 1000);
    octal(block, 116, 8, 1000);
    octal(block, 124, 12, h.size.value_or(h.data.size()));
    octal(block, 136, 12, 1700000000);
    block[156] = h.type;
    block.replace(157, std::min<std::size_t>(h.linkname.size(), 100), h.linkname.substr(0, 100));
    if (h.gnu_magic) {
      block.replace(257, 8, std::string("ustar  \0", 8));
    } else {
      block.replace(257, 8,
                    std::string("ustar\0"
                                "00",
                                8));
    }
    block.replace(345, std::min<std::size_t>(h.prefix.size(), 155), h.prefix.substr(0, 155));
    block.replace(148, 8, "        ");
    unsigned sum = 0;
    for (const char c : block) sum += static_cast<unsigned char>(c);
    if (h.bad_checksum) ++sum;
    char field[8];
    std::snprintf(field, sizeof field, "%06o", sum);
    block.replace(148, 7, std::string(field, 6) + '\0');
    out_ += block;
    out_ += h.data;
    out_.append((512 - h.data.size() % 512) % 512, '\0');
    return *this;
  }
  TarWriter& file(const std::string& name, const std::string& data) {
    return add(TarHeader(name).with_data(data));
  }
  TarWriter& dir(const std::string& name) { return add(TarHeader(name).of_type('5')); }
  // A pax extended header ('x') that applies to the next entry.
  TarWriter& pax(const std::map<std::string, std::string>& records, char type = 'x') {
    std::string data;
    for (const auto& [key, value] : records) data += pax_record(key, value);
    return add(TarHeader("PaxHeaders/x").of_type(type).with_data(data));
  }
  TarWriter& gnu_long_name(const std::string& name) {
    return add(TarHeader("././@LongLink").of_type('L').with_data(name + '\0').gnu());
  }
  // The archive with its end marker (two zero blocks).
  std::string finish() const { return out_ + std::string(1024, '\0'); }
  // The archive as written so far, without an end marker.
  const std::string& bytes() const { return out_; }

  static std::string pax_record(const std::string& key, const std::string& value) {
    const std::string rest = " " + key + "=" + value + "\n";
    std::size_t length = rest.size() + 1;
    while (std::to_string(length).size() + rest.size() != length) ++length;
    return std::to_string(length) + rest;
  }

 private:
  static void octal(std::string& block, std::size_t at, std::size_t width, std::uint64_t value) {
    char field[24];
    std::snprintf(field, sizeof field, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
    block.replace(at, width, std::string(field, width - 1) + '\0');
  }

  std::string out_;
};

}  // namespace phishdrill::test
