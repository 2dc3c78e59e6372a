// Fuzzes the message template language: compile, then render in every mode.
// The input is the template source; optional NUL-separated parts after it are
// the recipient's first name, last name, email and position (hostile defaults
// otherwise). Invariants: rendering valid UTF-8 sources and values gives
// valid UTF-8; header mode has no line break at all; HTML mode escapes every
// value (no '<' or '"' beyond the source's own, unless an image, {{.Tracker}}
// or {{.QRCode}}, is used);
// a source without "{{" renders as itself.
#include <algorithm>
#include <string>

#include "core/message_template.h"
#include "core/utf8.h"
#include "fuzz_input.h"

using phishdrill::fuzz::check;

namespace {

std::size_t count_of(std::string_view text, std::string_view chars) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [&](char c) { return chars.find(c) != std::string_view::npos; }));
}

std::string or_default(std::string_view part, std::string_view fallback) {
  return std::string(part.empty() ? fallback : part);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = phishdrill::fuzz::split_parts(phishdrill::fuzz::as_text(data, size), 5);
  const std::string_view source = parts[0];
  auto compiled = phishdrill::CompiledTemplate::compile(source, "html");
  if (!compiled) {
    check(compiled.error().field == "html", "compile errors name the field");
    return 0;
  }

  phishdrill::TemplateContext context;
  context.first_name = or_default(parts[1], "<script>alert(\"x\")</script>");
  context.last_name = or_default(parts[2], "O'Brien & \"Sons\"\r\nBcc: evil@example.com");
  context.email = or_default(parts[3], "jos\xc3\xa9@example.com");
  context.position = or_default(parts[4], "{{.URL}} \xe2\x80\x8b");
  context.from = "IT <it@example.com>";
  context.url = "https://phish.example/?rid=r1&x=<y>";
  context.tracking_url = "https://phish.example/track?rid=r1&x=\"y\"";
  context.rid = "r1";
  context.base_url = "https://phish.example";
  context.qr_code_src = "cid:qr-code.png\"><script>";

  const std::string html = compiled->render(context, phishdrill::RenderMode::kHtml);
  const std::string text = compiled->render(context, phishdrill::RenderMode::kText);
  const std::string header = compiled->render(context, phishdrill::RenderMode::kHeader);

  const bool utf8_in = phishdrill::is_valid_utf8(source) &&
                       std::all_of(parts.begin() + 1, parts.end(), [](std::string_view part) {
                         return phishdrill::is_valid_utf8(part);
                       });
  if (utf8_in) {
    check(phishdrill::is_valid_utf8(html), "html render is UTF-8");
    check(phishdrill::is_valid_utf8(text), "text render is UTF-8");
    check(phishdrill::is_valid_utf8(header), "header render is UTF-8");
  }
  check(count_of(header, "\r\n") == 0, "header mode has no line break");
  const bool uses_image = compiled->uses(phishdrill::TemplateVar::kTracker) ||
                          compiled->uses(phishdrill::TemplateVar::kQrCode);
  if (!uses_image) {
    check(count_of(html, "<\"") == count_of(source, "<\""), "html mode escapes every value");
  }
  if (source.find("{{") == std::string_view::npos) {
    check(html == source && text == source, "plain text renders as itself");
  }

  std::string appended = "prefix";
  compiled->render_to(appended, context, phishdrill::RenderMode::kHtml);
  check(appended == "prefix" + html, "render_to appends what render returns");
  return 0;
}
