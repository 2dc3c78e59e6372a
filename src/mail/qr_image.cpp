#include "mail/qr_image.h"

#include <png.h>
#include <qrencode.h>

#include <memory>
#include <vector>

namespace phishdrill {
namespace {

constexpr int kQuietZone = 4;

struct QrFree {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

void append_png(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void flush_nothing(png_structp) {}

// The modules as rows of gray pixels (0 black, 255 white), quiet zone included.
std::vector<std::vector<png_byte>> pixel_rows(const QRcode& code, int scale) {
  const int modules = code.width + 2 * kQuietZone;
  const int side = modules * scale;
  std::vector<std::vector<png_byte>> rows(
      static_cast<std::size_t>(side), std::vector<png_byte>(static_cast<std::size_t>(side), 255));
  for (int y = 0; y < code.width; ++y) {
    for (int x = 0; x < code.width; ++x) {
      if ((code.data[y * code.width + x] & 1) == 0) continue;
      for (int dy = 0; dy < scale; ++dy) {
        auto& row = rows[static_cast<std::size_t>((y + kQuietZone) * scale + dy)];
        for (int dx = 0; dx < scale; ++dx) {
          row[static_cast<std::size_t>((x + kQuietZone) * scale + dx)] = 0;
        }
      }
    }
  }
  return rows;
}

Result<std::string> encode_png(std::vector<std::vector<png_byte>>& rows) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return fail(ErrorCode::kInternal, "the QR code image could not be made");
  }
  std::string out;
  std::vector<png_bytep> pointers;
  for (auto& row : rows) pointers.push_back(row.data());
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return fail(ErrorCode::kInternal, "the QR code image could not be made");
  }
  const auto side = static_cast<png_uint_32>(rows.size());
  png_set_write_fn(png, &out, append_png, flush_nothing);
  png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, pointers.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace

Result<std::string> qr_png(std::string_view text, int module_pixels) {
  const std::string data(text);
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return fail(ErrorCode::kValidation, "the text is too long for a QR code", "qr");
  auto rows = pixel_rows(*code, module_pixels < 1 ? 1 : module_pixels);
  return encode_png(rows);
}

}  // namespace phishdrill
