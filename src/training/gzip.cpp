#include "training/gzip.h"

#include <fmt/format.h>
#include <zlib.h>

#include <memory>

namespace phishdrill {
namespace {

constexpr int kGzipWindow = 15 + 16;  // the largest window, gzip framing
constexpr std::size_t kChunk = 64 * 1024;

struct Inflater {
  z_stream z{};
  bool ready = false;
  Inflater() { ready = inflateInit2(&z, kGzipWindow) == Z_OK; }
  ~Inflater() {
    if (ready) inflateEnd(&z);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

std::unexpected<Error> refused(std::string_view problem) {
  return fail(ErrorCode::kValidation, fmt::format("gzip: {}", problem));
}

}  // namespace

bool is_gzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

Result<std::string> gunzip(std::string_view data, std::size_t max_bytes) {
  Inflater inflater;
  if (!inflater.ready) return refused("cannot start the decompressor");
  z_stream& z = inflater.z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (out.size() >= max_bytes) {
      return refused(fmt::format("unpacks to more than {} MiB", max_bytes >> 20));
    }
    const std::size_t at = out.size();
    out.resize(at + std::min(kChunk, max_bytes - at));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + at);
    z.avail_out = static_cast<uInt>(out.size() - at);
    status = inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
    if (status == Z_BUF_ERROR && z.avail_in == 0) return refused("the data is truncated");
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      return refused(z.msg != nullptr ? z.msg : "the data is corrupt");
    }
  }
  for (std::size_t i = data.size() - z.avail_in; i < data.size(); ++i) {
    if (data[i] != '\0') return refused("data after the end of the compressed stream");
  }
  return out;
}

std::string gzip(std::string_view data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);  // the buffer holds the bound: one call finishes
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

}  // namespace phishdrill
