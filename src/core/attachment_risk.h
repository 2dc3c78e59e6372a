// How dangerous an attachment of a reported message is by its name and type
// alone (its bytes are not opened): files that run or render active content
// when opened (.html, .exe, .js, .vbs, .lnk, .iso, .img, .one, ...), Office
// documents that carry macros (.docm, .xlsm, ...), archives that hide what
// they hold (.zip, .rar, .7z, ...), and names made to look like a harmless
// type ("invoice.pdf.html", a right-to-left override). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

enum class AttachmentRisk { kNone, kArchive, kMacroDocument, kActiveContent };

// The riskier of what the name's last extension and the content type say.
AttachmentRisk attachment_risk(std::string_view name, std::string_view content_type);

// The last extension of `name`, lower case, without the dot ("" when none);
// spaces and dots at the end are ignored ("a.exe. " -> "exe").
std::string file_extension(std::string_view name);

// True when `name` disguises its type: a document or picture extension just
// before a risky one ("invoice.pdf.html", "scan.jpg   .exe"), or a
// right-to-left override character (U+202E), which displays "cod.exe" as
// "exe.doc".
bool has_disguised_extension(std::string_view name);

}  // namespace phishdrill
