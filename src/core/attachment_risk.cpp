#include "core/attachment_risk.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "core/ascii.h"
#include "core/text_rules.h"

namespace phishdrill {
namespace {

constexpr auto kActiveExtensions = std::to_array<std::string_view>(
    {"html",        "htm",    "shtml", "xhtml", "svg",    "exe",  "scr",        "com",
     "pif",         "bat",    "cmd",   "ps1",   "vbs",    "vbe",  "js",         "jse",
     "wsf",         "wsh",    "hta",   "jar",   "msi",    "msix", "lnk",        "iso",
     "img",         "vhd",    "vhdx",  "one",   "onepkg", "chm",  "cpl",        "reg",
     "xll",         "appx",   "apk",   "dll",   "sys",    "url",  "library-ms", "settingcontent-ms",
     "application", "gadget", "inf",   "msc"});
constexpr auto kMacroExtensions = std::to_array<std::string_view>(
    {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "sldm"});
constexpr auto kArchiveExtensions = std::to_array<std::string_view>(
    {"zip", "rar", "7z", "gz", "tgz", "tar", "cab", "ace", "arj", "lzh", "xz", "bz2"});
// What a disguised name pretends to be.
constexpr auto kHarmlessLooking = std::to_array<std::string_view>(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf", "csv", "odt",
     "ods", "jpg", "jpeg", "png", "gif",  "bmp", "mp3",  "mp4", "wav", "eml", "msg"});

struct TypeRisk {
  std::string_view content_type;
  AttachmentRisk risk;
};

constexpr auto kContentTypes = std::to_array<TypeRisk>({
    {"text/html", AttachmentRisk::kActiveContent},
    {"application/xhtml+xml", AttachmentRisk::kActiveContent},
    {"image/svg+xml", AttachmentRisk::kActiveContent},
    {"application/x-msdownload", AttachmentRisk::kActiveContent},
    {"application/x-msdos-program", AttachmentRisk::kActiveContent},
    {"application/x-ms-shortcut", AttachmentRisk::kActiveContent},
    {"application/hta", AttachmentRisk::kActiveContent},
    {"application/javascript", AttachmentRisk::kActiveContent},
    {"application/x-iso9660-image", AttachmentRisk::kActiveContent},
    {"application/onenote", AttachmentRisk::kActiveContent},
    {"application/vnd.ms-word.document.macroenabled.12", AttachmentRisk::kMacroDocument},
    {"application/vnd.ms-excel.sheet.macroenabled.12", AttachmentRisk::kMacroDocument},
    {"application/zip", AttachmentRisk::kArchive},
    {"application/x-zip-compressed", AttachmentRisk::kArchive},
});

constexpr std::string_view kRightToLeftOverride = "\xE2\x80\xAE";

template <std::size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& list) {
  return std::ranges::find(list, word) != list.end();
}

AttachmentRisk extension_risk(std::string_view extension) {
  if (is_one_of(extension, kActiveExtensions)) return AttachmentRisk::kActiveContent;
  if (is_one_of(extension, kMacroExtensions)) return AttachmentRisk::kMacroDocument;
  if (is_one_of(extension, kArchiveExtensions)) return AttachmentRisk::kArchive;
  return AttachmentRisk::kNone;
}

AttachmentRisk type_risk(std::string_view content_type) {
  const std::string type = ascii_lowercase(trim(content_type.substr(0, content_type.find(';'))));
  for (const TypeRisk& entry : kContentTypes) {
    if (entry.content_type == type) return entry.risk;
  }
  return AttachmentRisk::kNone;
}

// `name` without the spaces and dots Windows ignores at its end.
std::string_view without_trailing_dots(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ' || name.back() == '\t')) {
    name.remove_suffix(1);
  }
  return name;
}

}  // namespace

std::string file_extension(std::string_view name) {
  name = without_trailing_dots(name);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return {};
  return ascii_lowercase(trim(name.substr(dot + 1)));
}

AttachmentRisk attachment_risk(std::string_view name, std::string_view content_type) {
  return std::max(extension_risk(file_extension(name)), type_risk(content_type));
}

bool has_disguised_extension(std::string_view name) {
  if (name.find(kRightToLeftOverride) != std::string_view::npos) return true;
  name = without_trailing_dots(name);
  const std::size_t last = name.rfind('.');
  if (last == std::string_view::npos || last == 0) return false;
  const AttachmentRisk risk = extension_risk(file_extension(name));
  if (risk != AttachmentRisk::kActiveContent && risk != AttachmentRisk::kMacroDocument) {
    return false;
  }
  return is_one_of(file_extension(name.substr(0, last)), kHarmlessLooking);
}

}  // namespace phishdrill
