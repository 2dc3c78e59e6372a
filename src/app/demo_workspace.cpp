#include "app/demo_workspace.h"

#include "core/target.h"

namespace phishdrill::app {
namespace {

constexpr const char* kGroupName = "Demo: fulfilment team";

std::vector<TargetFields> demo_targets() {
  return {
      {"dana.reyes@example.com", "Dana", "Reyes", "Pharmacist in charge", "Pharmacy", "", "en"},
      {"sam.okafor@example.com", "Sam", "Okafor", "Fulfilment lead", "Fulfilment", "", "en"},
      {"lee.chen@example.com", "Lee", "Chen", "Customer care agent", "Customer care", "", "en"},
      {"maria.rossi@example.com", "Maria", "Rossi", "Accounts payable clerk", "Finance", "", "en"},
      {"jordan.blake@example.com", "Jordan", "Blake", "IT support engineer", "IT", "", "en"},
  };
}

EmailTemplate demo_template(std::int64_t now) {
  EmailTemplate t;
  t.name = "Demo: shared prescription file";
  t.subject = "{{.FirstName}}, a prescription file was shared with you";
  t.from = "Document Share <no-reply@docs-share.example.net>";
  t.html =
      "<html><body style=\"font-family:Arial,sans-serif\">"
      "<p>Hi {{.FirstName}},</p>"
      "<p>A colleague shared <b>Refill_exceptions_Q4.xlsx</b> with you. The link expires in 24 "
      "hours.</p>"
      "<p><a href=\"{{.URL}}\">Open the file</a></p>"
      "<p style=\"color:#888;font-size:12px\">Sent to {{.Email}}</p>"
      "{{.Tracker}}</body></html>";
  t.text =
      "Hi {{.FirstName}},\n\nA colleague shared Refill_exceptions_Q4.xlsx with you. The link "
      "expires in 24 hours.\n\nOpen the file: {{.URL}}\n\nSent to {{.Email}}\n";
  t.created_at = t.updated_at = now;
  return t;
}

LandingPage demo_page(std::int64_t now) {
  LandingPage p;
  p.name = "Demo: document sign-in";
  p.capture = CapturePolicy::kFields;
  p.html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in to view the "
      "document</title></head><body style=\"font-family:Arial,sans-serif;max-width:360px;"
      "margin:60px auto\"><h1 style=\"font-size:20px\">Sign in to view the document</h1>"
      "<form method=\"post\"><label>Email<br><input name=\"email\" type=\"email\"></label><br>"
      "<label>Password<br><input name=\"password\" type=\"password\"></label><br>"
      "<button type=\"submit\">Sign in</button></form></body></html>";
  p.created_at = p.updated_at = now;
  return p;
}

SendingProfile demo_profile(std::int64_t now) {
  SendingProfile p;
  p.name = "Demo: outbox (writes .eml files, sends nothing)";
  p.kind = TransportKind::kOutbox;
  p.from = "IT Service Desk <it-desk@example.com>";
  p.rate_per_minute = 600;
  p.created_at = p.updated_at = now;
  return p;
}

}  // namespace

Result<bool> seed_demo_workspace(Store& store, const Clock& clock) {
  const auto now = clock.now();
  bool added = false;
  auto written = store.write([&](Repositories& repos) -> Result<void> {
    auto workspace = repos.accounts.find_workspace(1);
    if (!workspace) return {};
    const auto ws = workspace->id;
    auto group = repos.groups.create_group(ws, kGroupName, now);
    if (!group) return {};  // already seeded: the name is taken
    auto stats = repos.groups.upsert_targets(ws, demo_targets(), now);
    repos.groups.add_members(group->id, stats.target_ids);
    // A name the operator already uses wins over the demo's: skip that item.
    (void)repos.templates.create_template(ws, demo_template(now));
    (void)repos.pages.create_page(ws, demo_page(now));
    // Training emails go to the same outbox, so the whole loop can be tried.
    if (auto profile = repos.profiles.create_profile(ws, demo_profile(now), "")) {
      TrainingSettings training = repos.training.settings(ws);
      training.profile_id = profile->id;
      repos.training.save_settings(ws, training);
    }
    repos.audit.append(AuditEntry{0, ws, now, Actor{"system", 0, "demo"}, "demo.seed", "group",
                                  group->id, "", "{}"});
    added = true;
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return added;
}

}  // namespace phishdrill::app
