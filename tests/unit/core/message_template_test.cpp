#include "core/message_template.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace phishdrill {
namespace {

TemplateContext sample_context() {
  TemplateContext context;
  context.first_name = "Alice";
  context.last_name = "Smith";
  context.email = "alice@example.com";
  context.position = "Accountant";
  context.from = "IT Desk <it@example.com>";
  context.url = "https://phish.example/?rid=abc123";
  context.tracking_url = "https://phish.example/track?rid=abc123";
  context.rid = "abc123";
  context.base_url = "https://phish.example";
  return context;
}

CompiledTemplate compile_ok(std::string_view source) {
  auto compiled = CompiledTemplate::compile(source, "html");
  EXPECT_TRUE(compiled.has_value()) << source << ": " << (compiled ? "" : compiled.error().message);
  return compiled ? *compiled : CompiledTemplate{};
}

std::string compile_error(std::string_view source, std::string_view field = "html") {
  auto compiled = CompiledTemplate::compile(source, field);
  EXPECT_FALSE(compiled.has_value()) << source;
  if (compiled) return {};
  EXPECT_EQ(compiled.error().code, ErrorCode::kValidation);
  EXPECT_EQ(compiled.error().field, field);
  return compiled.error().message;
}

TEST(CompiledTemplate, PlainTextRendersUnchanged) {
  auto t = compile_ok("Hello <b>world</b> & friends");
  // Literal text is the author's HTML: never escaped.
  EXPECT_EQ(t.render(sample_context(), RenderMode::kHtml), "Hello <b>world</b> & friends");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "Hello <b>world</b> & friends");
}

TEST(CompiledTemplate, EmptyTemplate) {
  auto t = compile_ok("");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kHtml), "");
  EXPECT_FALSE(t.uses(TemplateVar::kEmail));
}

TEST(CompiledTemplate, DefaultConstructedRendersNothing) {
  CompiledTemplate t;
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "");
}

TEST(CompiledTemplate, AllVariablesInTextMode) {
  auto t = compile_ok(
      "{{.FirstName}}|{{.LastName}}|{{.Email}}|{{.Position}}|{{.From}}|{{.URL}}|"
      "{{.TrackingURL}}|{{.Tracker}}|{{.RId}}|{{.BaseURL}}");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText),
            "Alice|Smith|alice@example.com|Accountant|IT Desk <it@example.com>|"
            "https://phish.example/?rid=abc123|https://phish.example/track?rid=abc123||abc123|"
            "https://phish.example");
}

TEST(CompiledTemplate, AllVariablesInHtmlMode) {
  auto t = compile_ok("{{.From}}|{{.URL}}|{{.Tracker}}");
  TemplateContext context = sample_context();
  context.url = "https://phish.example/?rid=a&x=1";
  EXPECT_EQ(t.render(context, RenderMode::kHtml),
            "IT Desk &lt;it@example.com&gt;|https://phish.example/?rid=a&amp;x=1|"
            "<img alt=\"\" width=\"1\" height=\"1\" style=\"display:none\" "
            "src=\"https://phish.example/track?rid=abc123\">");
}

TEST(CompiledTemplate, TheQrCodeIsAnImageInHtmlAndNothingElsewhere) {
  auto t = compile_ok("Scan:{{ .QRCode }}.");
  EXPECT_TRUE(t.uses(TemplateVar::kQrCode));
  TemplateContext context = sample_context();
  EXPECT_EQ(t.render(context, RenderMode::kHtml),
            "Scan:<img src=\"cid:qr-code.png\" alt=\"QR code\" width=\"200\" height=\"200\" "
            "style=\"display:block;border:0\">.");
  EXPECT_EQ(t.render(context, RenderMode::kText), "Scan:.");
  EXPECT_EQ(t.render(context, RenderMode::kHeader), "Scan:.");
  context.qr_code_src = "data:image/png;base64,AA==\"><script>";
  EXPECT_NE(t.render(context, RenderMode::kHtml).find("base64,AA==&quot;&gt;&lt;script&gt;"),
            std::string::npos);
}

TEST(CompiledTemplate, GoPhishStyleEmail) {
  auto t = compile_ok(
      "<html><body><p>Dear {{.FirstName}} {{.LastName}},</p>"
      "<a href=\"{{.URL}}\">Reset password</a>{{.Tracker}}</body></html>");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kHtml),
            "<html><body><p>Dear Alice Smith,</p>"
            "<a href=\"https://phish.example/?rid=abc123\">Reset password</a>"
            "<img alt=\"\" width=\"1\" height=\"1\" style=\"display:none\" "
            "src=\"https://phish.example/track?rid=abc123\"></body></html>");
}

TEST(CompiledTemplate, WhitespaceInsideBraces) {
  auto t = compile_ok("{{ .FirstName }}-{{\t.LastName\t}}-{{  .Email}}-{{.RId  }}");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "Alice-Smith-alice@example.com-abc123");
}

TEST(CompiledTemplate, RepeatedAndAdjacentVariables) {
  auto t = compile_ok("{{.FirstName}}{{.FirstName}}{{.LastName}}");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "AliceAliceSmith");
}

TEST(CompiledTemplate, HtmlModeEscapesValues) {
  auto t = compile_ok("<p>Hi {{.FirstName}} {{.LastName}}</p>");
  TemplateContext context = sample_context();
  context.first_name = "<b>Bob</b>";
  context.last_name = "O'Neil & \"Sons\"";
  EXPECT_EQ(t.render(context, RenderMode::kHtml),
            "<p>Hi &lt;b&gt;Bob&lt;/b&gt; O&#39;Neil &amp; &quot;Sons&quot;</p>");
  EXPECT_EQ(t.render(context, RenderMode::kText), "<p>Hi <b>Bob</b> O'Neil & \"Sons\"</p>");
}

TEST(CompiledTemplate, ValuesWithTemplateSyntaxAreNotReExpanded) {
  auto t = compile_ok("Hello {{.FirstName}}!");
  TemplateContext context = sample_context();
  context.first_name = "<script>{{.Email}}</script>";
  EXPECT_EQ(t.render(context, RenderMode::kHtml), "Hello &lt;script&gt;{{.Email}}&lt;/script&gt;!");
  EXPECT_EQ(t.render(context, RenderMode::kText), "Hello <script>{{.Email}}</script>!");
  EXPECT_EQ(t.render(context, RenderMode::kHtml).find("alice@example.com"), std::string::npos);
}

TEST(CompiledTemplate, AttributeBreakoutInValueIsEscaped) {
  auto t = compile_ok("<a title='{{.LastName}}' href=\"{{.URL}}\">x</a>");
  TemplateContext context = sample_context();
  context.last_name = "' onmouseover='alert(1)";
  context.url = "\" onclick=\"alert(1)";
  EXPECT_EQ(
      t.render(context, RenderMode::kHtml),
      "<a title='&#39; onmouseover=&#39;alert(1)' href=\"&quot; onclick=&quot;alert(1)\">x</a>");
}

TEST(CompiledTemplate, HeaderModeStripsLineBreaksFromValues) {
  auto t = compile_ok("Action needed: {{.FirstName}} {{.LastName}}");
  TemplateContext context = sample_context();
  context.first_name = "Alice\r\nBcc: victim@example.com";
  context.last_name = "Smith\n\r";
  EXPECT_EQ(t.render(context, RenderMode::kHeader),
            "Action needed: AliceBcc: victim@example.com Smith");
}

TEST(CompiledTemplate, HeaderModeKeepsOtherCharactersVerbatim) {
  auto t = compile_ok("{{.LastName}}");
  TemplateContext context = sample_context();
  context.last_name = "O'Neil & <Sons>\t\xC3\xA9";
  EXPECT_EQ(t.render(context, RenderMode::kHeader), "O'Neil & <Sons>\t\xC3\xA9");
}

TEST(CompiledTemplate, HeaderModeStripsLineBreaksFromLiterals) {
  auto t = compile_ok("Hello\r\n{{.FirstName}}\n");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kHeader), "HelloAlice");
  // Other modes keep the author's line breaks.
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "Hello\r\nAlice\n");
}

TEST(CompiledTemplate, TrackerIsEmptyOutsideHtml) {
  auto t = compile_ok("a{{.Tracker}}b");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "ab");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kHeader), "ab");
}

TEST(CompiledTemplate, LoneClosingBracesAreLiteral) {
  auto t = compile_ok("a }} b {{.FirstName}} }} c } { d");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "a }} b Alice }} c } { d");
}

TEST(CompiledTemplate, ExtraClosingBraceAfterPlaceholderIsLiteral) {
  auto t = compile_ok("{{.FirstName}}}");
  EXPECT_EQ(t.render(sample_context(), RenderMode::kText), "Alice}");
}

TEST(CompiledTemplate, RenderToAppends) {
  auto t = compile_ok("Hi {{.FirstName}}");
  std::string out = "prefix:";
  t.render_to(out, sample_context(), RenderMode::kText);
  t.render_to(out, sample_context(), RenderMode::kText);
  EXPECT_EQ(out, "prefix:Hi AliceHi Alice");
}

TEST(CompiledTemplate, CompileOnceRenderManyRecipients) {
  auto t = compile_ok("<p>{{.FirstName}} <{{.Email}}></p>");
  for (int i = 0; i < 1000; ++i) {
    TemplateContext context;
    context.first_name = "User" + std::to_string(i);
    context.email = "u" + std::to_string(i) + "@example.com";
    ASSERT_EQ(t.render(context, RenderMode::kHtml),
              "<p>User" + std::to_string(i) + " <u" + std::to_string(i) + "@example.com></p>");
  }
}

TEST(CompiledTemplate, SafeToShareBetweenThreads) {
  const auto t = compile_ok("{{.FirstName}}:{{.RId}}");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int n = 0; n < 4; ++n) {
    threads.emplace_back([&t, &failures, n] {
      for (int i = 0; i < 2000; ++i) {
        TemplateContext context;
        context.first_name = "T" + std::to_string(n);
        context.rid = std::to_string(i);
        if (t.render(context, RenderMode::kHtml) != context.first_name + ":" + context.rid) {
          ++failures[static_cast<std::size_t>(n)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(CompiledTemplate, Uses) {
  auto t = compile_ok("{{.FirstName}} {{ .URL }}");
  EXPECT_TRUE(t.uses(TemplateVar::kFirstName));
  EXPECT_TRUE(t.uses(TemplateVar::kUrl));
  EXPECT_FALSE(t.uses(TemplateVar::kTracker));
  EXPECT_FALSE(t.uses(TemplateVar::kTrackingUrl));
  EXPECT_FALSE(t.uses(TemplateVar::kLastName));
  auto literal_only = compile_ok("FirstName .URL {not a placeholder}");
  EXPECT_FALSE(literal_only.uses(TemplateVar::kFirstName));
  EXPECT_FALSE(literal_only.uses(TemplateVar::kUrl));
}

TEST(CompiledTemplate, UnknownVariable) {
  EXPECT_EQ(compile_error("Your password: {{.Password}}"),
            "unknown template expression \"{{.Password}}\"");
}

TEST(CompiledTemplate, NamesAreCaseSensitive) {
  EXPECT_EQ(compile_error("{{.firstname}}"), "unknown template expression \"{{.firstname}}\"");
  compile_error("{{.Url}}");
  compile_error("{{.RID}}");
  compile_error("{{.Rid}}");
  compile_error("{{.TrackingUrl}}");
  compile_error("{{.BaseUrl}}");
  compile_error("{{.EMAIL}}");
}

TEST(CompiledTemplate, RejectsFunctionsPipesAndControlFlow) {
  EXPECT_EQ(compile_error("{{printf \"x\"}}"), "unknown template expression \"{{printf \"x\"}}\"");
  EXPECT_EQ(compile_error("{{ if .X }}yes{{ end }}"),
            "unknown template expression \"{{ if .X }}\"");
  EXPECT_EQ(compile_error("{{.FirstName | html}}"),
            "unknown template expression \"{{.FirstName | html}}\"");
  compile_error("{{ if .FirstName }}x{{ end }}");
  compile_error("{{range .Items}}{{end}}");
  compile_error("{{template \"x\"}}");
  compile_error("{{define \"x\"}}{{end}}");
  compile_error("{{$x := 1}}");
  compile_error("{{/* comment */}}");
  compile_error("{{- .FirstName -}}");
  compile_error("{{.FirstName.Foo}}");
  compile_error("{{ .FirstName .LastName }}");
  compile_error("{{call .URL}}");
  compile_error("{{.}}");
  compile_error("{{}}");
  compile_error("{{ }}");
  compile_error("{{FirstName}}");
  compile_error("{{. FirstName}}");
  compile_error("{{\n.FirstName\n}}");
}

TEST(CompiledTemplate, ErrorAfterValidPlaceholders) {
  EXPECT_EQ(compile_error("{{.FirstName}} ok {{.Email}} {{.Secret}} {{.URL}}", "text"),
            "unknown template expression \"{{.Secret}}\"");
}

TEST(CompiledTemplate, Unclosed) {
  EXPECT_EQ(compile_error("Hello {{.FirstName"), "unclosed \"{{\" in template");
  EXPECT_EQ(compile_error("{{"), "unclosed \"{{\" in template");
  EXPECT_EQ(compile_error("{{.FirstName}} and {{ .LastName }"), "unclosed \"{{\" in template");
  EXPECT_EQ(compile_error("{{.FirstName}", "subject"), "unclosed \"{{\" in template");
}

TEST(CompiledTemplate, TripleBracesAreRejected) { compile_error("{{{.FirstName}}}"); }

TEST(CompiledTemplate, LongBadExpressionIsTruncatedInMessage) {
  const std::string source = "{{" + std::string(10000, 'x') + "}}";
  const std::string message = compile_error(source);
  EXPECT_LT(message.size(), 200u);
  EXPECT_EQ(message.rfind("unknown template expression \"{{xxx", 0), 0u);
}

TEST(CompiledTemplate, ErrorFieldIsPassedThrough) {
  auto compiled = CompiledTemplate::compile("{{.Nope}}", "templates[2].subject");
  ASSERT_FALSE(compiled.has_value());
  EXPECT_EQ(compiled.error().field, "templates[2].subject");
}

TEST(TrackerHtml, EscapesTheUrl) {
  EXPECT_EQ(tracker_html("https://x.example/track?rid=a&b=\"><script>"),
            "<img alt=\"\" width=\"1\" height=\"1\" style=\"display:none\" "
            "src=\"https://x.example/track?rid=a&amp;b=&quot;&gt;&lt;script&gt;\">");
}

TEST(TrackerHtml, MatchesTrackerPlaceholder) {
  auto t = compile_ok("{{.Tracker}}");
  TemplateContext context = sample_context();
  context.tracking_url = "https://x.example/t?a=1&b='2'";
  EXPECT_EQ(t.render(context, RenderMode::kHtml), tracker_html(context.tracking_url));
}

}  // namespace
}  // namespace phishdrill
