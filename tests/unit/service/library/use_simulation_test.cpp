// Using a library simulation in a workspace (service/library/use_simulation.h)
// on every store backend: the workspace's branding, the copy's names, who
// may use, what is refused, and the audit entry.
#include "service/library/use_simulation.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "support/store_backends.h"
#include "support/workspace_fixture.h"

namespace phishdrill::service {
namespace {

Simulation sample(const std::string& channel = "email") {
  Simulation s;
  s.slug = "sample-lure";
  s.title = "A sample lure";
  s.channel = channel;
  s.version = 3;
  s.from_name = "{{.OrgName}} Files";
  s.from_address = "share@docs-{{.OrgDomain}}";
  s.subject = "{{.FirstName}}, {{.OrgName}} shared a file";
  s.html = "<p>From {{.OrgName}}: <a href=\"{{.URL}}\">open</a></p>{{.Tracker}}";
  s.text = "From {{.OrgName}}: {{.URL}}";
  s.red_flags = {{"from", "docs-{{.OrgDomain}}", "Not {{.OrgName}}'s own domain."}};
  s.landing = {"Sign in", "fields", "<html><body><form method=\"post\"></form></body></html>"};
  return s;
}

class UseSimulationTest : public testing_support::WorkspaceFixture,
                          public ::testing::WithParamInterface<testing_support::StoreBackend> {
 protected:
  testing_support::StoreBackend backend() const override { return GetParam(); }
  void SetUp() override {
    if (const auto why = backend().unavailable(); !why.empty()) GTEST_SKIP() << why;
    WorkspaceFixture::SetUp();
  }

  void add_people(const std::vector<std::string>& emails) {
    write([&](Repositories& repos) {
      std::vector<TargetFields> people;
      for (const auto& e : emails) people.push_back({e, "A", "B", "", "", "", "en"});
      repos.groups.upsert_targets(ws_, people, kNow);
    });
  }
};

TEST_P(UseSimulationTest, BrandingIsTheWorkspaceAndTheDomainMostOfItsPeopleShare) {
  auto empty = workspace_branding(*store_, ws_);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->org_name, "Acme");
  EXPECT_EQ(empty->org_domain, "example.org");
  add_people({"a@acme.example", "b@Acme.Example", "c@contractor.example"});
  EXPECT_EQ(workspace_branding(*store_, ws_)->org_domain, "acme.example");

  const auto t = branded_template(sample(), {"Acme", "acme.example"}, "Copy");
  EXPECT_EQ(t.from, "Acme Files <share@docs-acme.example>");
  EXPECT_EQ(t.subject, "{{.FirstName}}, Acme shared a file");
  EXPECT_EQ(t.text, "From Acme: {{.URL}}");
  ASSERT_EQ(t.red_flags.size(), 1u);
  EXPECT_EQ(t.red_flags[0].text, "docs-acme.example");
  EXPECT_EQ(t.red_flags[0].explanation, "Not Acme's own domain.");
  const auto page = branded_page(sample(), {"Acme", "acme.example"}, "Copy");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->capture, CapturePolicy::kFields);
}

TEST_P(UseSimulationTest, TheCopyIsNamedUniquelyAndAudited) {
  const auto first = use_simulation(*store_, caller(Role::kOperator), sample(), {}, kNow);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->tmpl.name, "Library: A sample lure");
  ASSERT_TRUE(first->page.has_value());
  EXPECT_EQ(first->page->name, "Library: A sample lure");
  const auto second = use_simulation(*store_, caller(Role::kOperator), sample(), {}, kNow);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->tmpl.name, "Library: A sample lure (2)");
  EXPECT_EQ(audit_actions(), (std::vector<std::string>{"library.use", "library.use"}));

  const auto named = use_simulation(*store_, caller(Role::kAdmin), sample(), "Mine", kNow);
  ASSERT_TRUE(named.has_value());
  const auto taken = use_simulation(*store_, caller(Role::kAdmin), sample(), "Mine", kNow);
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  // Nothing half made: the template of the refused copy was rolled back with its page.
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.templates.list_templates(ws_, {0, 50}).items.size(), 3u);
    EXPECT_EQ(repos.pages.list_pages(ws_, {0, 50}).items.size(), 3u);
  });
}

TEST_P(UseSimulationTest, ViewersBrowseButDoNotUse) {
  const auto refused = use_simulation(*store_, caller(Role::kViewer), sample(), {}, kNow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_P(UseSimulationTest, AnAttachmentIsCopiedBrandedAndStaysATemplate) {
  Simulation with_file = sample("attachment");
  with_file.attachments = {
      {"Advice.html", "text/html", "<p>{{.OrgName}} remittance</p><a href=\"{{.URL}}\">View</a>"}};
  const auto used = use_simulation(*store_, caller(), with_file, {}, kNow);
  ASSERT_TRUE(used.has_value()) << used.error().message;
  ASSERT_EQ(used->tmpl.attachments.size(), 1u);
  EXPECT_EQ(used->tmpl.attachments[0].name, "Advice.html");
  EXPECT_EQ(base64_decode(used->tmpl.attachments[0].content_base64).value_or(""),
            "<p>Acme remittance</p><a href=\"{{.URL}}\">View</a>");
}

TEST_P(UseSimulationTest, AQrCodeSimulationKeepsItsCodeForEachPerson) {
  Simulation qr = sample("qr-code");
  qr.html = "<p>Scan it:</p>{{.QRCode}}<p><a href=\"{{.URL}}\">or open</a></p>{{.Tracker}}";
  const auto used = use_simulation(*store_, caller(), qr, {}, kNow);
  ASSERT_TRUE(used.has_value()) << used.error().message;
  EXPECT_NE(used->tmpl.html.find("{{.QRCode}}"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, UseSimulationTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
