// In-process rendering throughput: one recipient's message rendered from a
// campaign variant (GoPhish variables, HTML escaping, links with the rid) and
// composed into MIME with GMime — the CPU work per message the dispatcher does
// before handing bytes to a transport. Run: build/bench/render_bench
#include <benchmark/benchmark.h>

#include "mail/eml_import.h"
#include "mail/mime_composer.h"
#include "service/message_builder.h"

namespace {

using namespace phishdrill;

CampaignVariant sample_variant() {
  CampaignVariant v;
  v.id = 1;
  v.template_id = 1;
  v.content.subject = "{{.FirstName}}, a prescription file was shared with you";
  v.content.from = "Document Share <no-reply@docs-share.example.net>";
  std::string html = "<html><body><p>Hi {{.FirstName}} {{.LastName}},</p>";
  for (int i = 0; i < 20; ++i) {
    html += "<p>Paragraph " + std::to_string(i) +
            " of a realistic message body with <b>some</b> markup and a "
            "<a href=\"{{.URL}}\">link</a>.</p>";
  }
  html += "{{.Tracker}}</body></html>";
  v.content.html = html;
  v.content.text = "Hi {{.FirstName}},\nOpen the file: {{.URL}}\n";
  return v;
}

Recipient sample_recipient(std::int64_t i) {
  Recipient r;
  r.id = i;
  r.rid = "lMyVut2_i-4ZjHveZflLHQ";
  r.fields.email = "person" + std::to_string(i) + "@example.com";
  r.fields.first_name = "Zoë";
  r.fields.last_name = "O'Brien <Finance>";
  r.fields.position = "Clerk";
  r.message_id = "3f9a" + std::to_string(i) + "@docs-share.example.net";
  return r;
}

void BM_RenderOnly(benchmark::State& state) {
  service::MessageBuilder builder;
  const auto variant = sample_variant();
  SendingProfile profile;
  profile.from = "IT <it@example.com>";
  std::int64_t i = 0;
  for (auto _ : state) {
    auto message = builder.build(sample_recipient(++i), variant, profile, "https://p.example.net");
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderOnly);

void BM_RenderAndCompose(benchmark::State& state) {
  gmime_init();
  service::MessageBuilder builder;
  const auto variant = sample_variant();
  SendingProfile profile;
  profile.from = "IT <it@example.com>";
  std::int64_t i = 0;
  for (auto _ : state) {
    auto message = builder.build(sample_recipient(++i), variant, profile, "https://p.example.net");
    message->date = 1796000000;
    auto mime = compose_mime(*message);
    benchmark::DoNotOptimize(mime);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderAndCompose);

}  // namespace

BENCHMARK_MAIN();
