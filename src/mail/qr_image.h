// A QR code as a PNG image (libqrencode, libpng): what a qr-code simulation
// shows each person, carrying their own tracked link. Error correction M,
// black modules on white, a quiet zone of 4 modules, `module_pixels` per
// module (an 8-bit grayscale PNG). Fails (kValidation, field "qr") for text
// too long for a QR code. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

inline constexpr const char* kQrImageName = "qr-code.png";

Result<std::string> qr_png(std::string_view text, int module_pixels = 6);

}  // namespace phishdrill
