#include "phish/teaching_page.h"

#include <algorithm>

#include "core/html_escape.h"

namespace phishdrill::phish {
namespace {

// Escapes `text`, wrapping each occurrence of the flags' phrases for `part` in <mark>.
std::string highlighted(const std::string& text, const std::vector<RedFlag>& flags,
                        const std::string& part) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const auto& flag : flags) {
    if (flag.part != part || flag.text.empty()) continue;
    for (auto pos = text.find(flag.text); pos != std::string::npos;
         pos = text.find(flag.text, pos + flag.text.size())) {
      spans.emplace_back(pos, pos + flag.text.size());
    }
  }
  std::sort(spans.begin(), spans.end());
  std::string out;
  std::size_t at = 0;
  for (const auto& [start, end] : spans) {
    if (start < at) continue;  // overlapping phrases: keep the first
    append_html_escaped(out, std::string_view(text).substr(at, start - at));
    out += "<mark>";
    append_html_escaped(out, std::string_view(text).substr(start, end - start));
    out += "</mark>";
    at = end;
  }
  append_html_escaped(out, std::string_view(text).substr(at));
  return out;
}

bool whole_part_flagged(const std::vector<RedFlag>& flags, const std::string& part) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const RedFlag& f) { return f.part == part && f.text.empty(); });
}

constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6fa;color:#1d2433;line-height:1.55}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem}
.note{background:#fff;border-left:4px solid #2f6fde;padding:1rem 1.25rem;border-radius:6px}
.mail{background:#fff;border:1px solid #d5dbe5;border-radius:6px;padding:1rem 1.25rem}
.mail dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
.mail dt{color:#5a6478}
.mail pre{white-space:pre-wrap;word-wrap:break-word;font:inherit;margin:0}
mark{background:#ffe08a;padding:0 .15em;border-radius:3px}
.whole{outline:3px solid #f0b400;border-radius:3px}
.button{display:inline-block;background:#1d4ed8;color:#fff;padding:.7rem 1.2rem;border-radius:6px;font-weight:600;text-decoration:none}
.button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
ol li{margin-bottom:.6rem}
)css";

}  // namespace

std::string teaching_page_html(const TeachingContent& c) {
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>This was a phishing "
      "simulation</title><style>";
  html += kStyle;
  html += "</style></head><body><main>";
  html += "<h1>This was a phishing simulation";
  if (!c.first_name.empty()) html += ", " + html_escape(c.first_name);
  html += "</h1><div class=\"note\"><p>The message you just ";
  html += c.submitted ? "acted on and typed into" : "opened a link from";
  html +=
      " was a practice phish sent by your organisation's security team. Nothing bad has "
      "happened";
  html += c.submitted ? ", and no password you typed was kept." : ".";
  html +=
      "</p><p>Real attackers send messages just like this one. A minute spent on the signs "
      "below makes the next real one much easier to spot. When something feels off, report "
      "it instead of clicking.</p></div>";

  html += "<h2>The message you received</h2><div class=\"mail\"><dl><dt>From</dt><dd";
  html += whole_part_flagged(c.red_flags, "from") ? " class=\"whole\">" : ">";
  html += highlighted(c.from, c.red_flags, "from");
  html += "</dd><dt>Subject</dt><dd";
  html += whole_part_flagged(c.red_flags, "subject") ? " class=\"whole\">" : ">";
  html += highlighted(c.subject, c.red_flags, "subject");
  html += "</dd></dl><pre>";
  html += highlighted(c.text, c.red_flags, "body");
  html += "</pre></div>";

  html += "<h2>What could have given it away</h2><ol>";
  if (c.red_flags.empty()) {
    html +=
        "<li>Check the sender's address, not just the name: does the domain really belong to "
        "who it claims to be?</li><li>Be wary of urgency, deadlines and unexpected "
        "requests.</li><li>Before clicking, hover over (or long-press) a link to see where it "
        "really goes.</li><li>Never enter your password on a page you reached from an email: "
        "go to the site yourself.</li>";
  }
  for (const auto& flag : c.red_flags) {
    html += "<li>";
    if (!flag.text.empty()) html += "<mark>" + html_escape(flag.text) + "</mark> ";
    html += html_escape(flag.explanation) + "</li>";
  }
  html += "</ol>";
  if (c.training_url.empty()) {
    html +=
        "<p>You may be offered a short training module about this. Thank you for taking a "
        "moment to learn from it.</p>";
  } else {
    html +=
        "<h2>Your next step: a short training module</h2><p>A few minutes of training has been "
        "set aside for you. You will also get an email with your personal link.</p><p><a "
        "class=\"button\" href=\"" +
        html_escape(c.training_url) + "\">Start your training</a></p>";
  }
  html += "</main></body></html>";
  return html;
}

}  // namespace phishdrill::phish
