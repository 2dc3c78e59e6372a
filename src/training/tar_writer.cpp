#include "training/tar_writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace phishdrill {
namespace {

constexpr std::size_t kBlock = 512;

void put(std::string& header, std::size_t offset, std::string_view value) {
  std::copy(value.begin(), value.end(), header.begin() + static_cast<std::ptrdiff_t>(offset));
}

// `value` in octal, zero-padded to width - 1 digits and NUL-terminated.
void put_octal(std::string& header, std::size_t offset, std::size_t width, std::uint64_t value) {
  put(header, offset, fmt::format("{:0{}o}", value, width - 1));
}

// Splits a long path into ustar's prefix (<= 155) and name (<= 100) at a
// '/'; false when no split fits.
bool split_path(std::string_view path, std::string_view& prefix, std::string_view& name) {
  if (path.size() <= 100) {
    prefix = {};
    name = path;
    return true;
  }
  for (auto slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (slash <= 155 && path.size() - slash - 1 <= 100 && slash + 1 < path.size()) {
      prefix = path.substr(0, slash);
      name = path.substr(slash + 1);
      return true;
    }
  }
  return false;
}

std::string header(std::string_view name, std::string_view prefix, std::uint64_t size, char type,
                   std::int64_t mtime) {
  std::string h(kBlock, '\0');
  put(h, 0, name.substr(0, 100));
  put_octal(h, 100, 8, 0644);
  put_octal(h, 108, 8, 0);
  put_octal(h, 116, 8, 0);
  put_octal(h, 124, 12, size);
  put_octal(h, 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime, 0)));
  h[156] = type;
  put(h, 257,
      std::string_view("ustar\0"
                       "00",
                       8));
  put(h, 345, prefix.substr(0, 155));
  put(h, 148, "        ");
  unsigned sum = 0;
  for (const char c : h) sum += static_cast<unsigned char>(c);
  put(h, 148, fmt::format("{:06o}", sum));
  h[154] = '\0';
  h[155] = ' ';
  return h;
}

void append_data(std::string& out, std::string_view data) {
  out += data;
  out.append((kBlock - data.size() % kBlock) % kBlock, '\0');
}

// "<length> path=<path>\n", the length counting itself.
std::string pax_path_record(std::string_view path) {
  const std::string body = fmt::format(" path={}\n", path);
  std::size_t length = body.size() + 1;
  while (std::to_string(length).size() + body.size() != length) ++length;
  return std::to_string(length) + body;
}

}  // namespace

std::string write_tar(const std::vector<TarEntry>& files, std::int64_t mtime) {
  std::string out;
  for (const TarEntry& file : files) {
    std::string_view prefix, name;
    if (!split_path(file.path, prefix, name)) {
      const std::string record = pax_path_record(file.path);
      out += header("PaxHeader", {}, record.size(), 'x', mtime);
      append_data(out, record);
      prefix = {};
      name = std::string_view(file.path).substr(0, 100);
    }
    out += header(name, prefix, file.data.size(), '0', mtime);
    append_data(out, file.data);
  }
  out.append(2 * kBlock, '\0');
  return out;
}

}  // namespace phishdrill
