// The message template language: GoPhish-compatible variables and nothing else.
//
// A source is literal text with `{{.Name}}` placeholders (spaces allowed inside
// the braces: `{{ .Name }}`). Names: FirstName LastName Email Position From URL
// TrackingURL Tracker RId BaseURL, and QRCode (an image of a QR code that
// carries the person's URL; the message carries it as an inline image, see
// service/message_builder.h). Any other `{{ ... }}` (functions, pipes,
// conditionals, unknown names) or an unclosed `{{` is rejected at compile time,
// so no code can ever run inside a template. Compile once, render many times.
// Pure; a CompiledTemplate is immutable and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

enum class TemplateVar : std::uint8_t {
  kFirstName,
  kLastName,
  kEmail,
  kPosition,
  kFrom,
  kUrl,
  kTrackingUrl,
  kTracker,
  kRid,
  kBaseUrl,
  kQrCode,
};

// Values for one recipient. Plain text (not escaped): rendering escapes.
struct TemplateContext {
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string position;
  std::string from;
  std::string url;           // click link, e.g. {base}/?rid=RID
  std::string tracking_url;  // open pixel, e.g. {base}/track?rid=RID
  std::string rid;
  std::string base_url;
  // Where the QR code image is: the message's inline image, or a data: URL
  // in a preview.
  std::string qr_code_src = "cid:qr-code.png";
};

// How values are written into the output.
enum class RenderMode {
  kHtml,    // values HTML-escaped; Tracker becomes an invisible <img> pixel
  kText,    // values verbatim; Tracker becomes ""
  kHeader,  // values verbatim with CR and LF removed; Tracker becomes ""
};

class CompiledTemplate {
 public:
  CompiledTemplate() = default;

  // Fails with kValidation, field = `field`, message naming the offending
  // expression, e.g. "unknown template expression {{.Password}}".
  static Result<CompiledTemplate> compile(std::string_view source, std::string_view field);

  std::string render(const TemplateContext& context, RenderMode mode) const;
  void render_to(std::string& out, const TemplateContext& context, RenderMode mode) const;

  // True when the template uses `var` at least once.
  bool uses(TemplateVar var) const;

 private:
  struct Segment {
    std::uint32_t offset = 0;  // into literals_ when is_literal
    std::uint32_t length = 0;
    bool is_literal = true;
    TemplateVar var = TemplateVar::kFirstName;
  };
  std::string literals_;
  std::vector<Segment> segments_;
};

// The HTML pixel used for {{.Tracker}}: <img alt="" width="1" height="1"
// style="display:none" src="ESCAPED_TRACKING_URL">.
std::string tracker_html(std::string_view tracking_url);

}  // namespace phishdrill
