// Packs in a workspace (service/library/simulation_packs.h) and the library
// each workspace sees (service/library/workspace_library.h), on every store
// backend: imports taken whole or not at all, versions, shipped slugs,
// removal, the catalogue's caches, and templates exported as simulations
// that import back.
#include "service/library/simulation_packs.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "library/simulation_loader.h"
#include "library/simulation_pack.h"
#include "library/simulation_writer.h"
#include "service/library/template_as_simulation.h"
#include "support/store_backends.h"
#include "support/workspace_fixture.h"

namespace phishdrill::service {
namespace {

Simulation sample(const std::string& slug, int version = 1) {
  Simulation s;
  s.slug = slug;
  s.title = "Lure " + slug;
  s.summary = "A file is shared; the link asks for a password.";
  s.category = "credential-harvesting";
  s.channel = "email";
  s.language = "en";
  s.version = version;
  s.audience = "everyone";
  s.from_name = "{{.OrgName}} Files";
  s.from_address = "share@docs-{{.OrgDomain}}";
  s.subject = "{{.FirstName}}, a file is waiting";
  s.html = "<p><a href=\"{{.URL}}\">Open the file</a></p>{{.Tracker}}";
  s.text = "Open the file: {{.URL}}";
  s.red_flags = {{"from", "docs-", "Not our own domain."}};
  s.cues = {{"domain_spoofing", "the sender's domain"}};
  return s;
}

std::string pack_of(const std::vector<Simulation>& simulations) {
  std::vector<SimulationFiles> folders;
  for (const auto& s : simulations) folders.push_back(simulation_files(s));
  return write_pack(folders, 1796083200);
}

class SimulationPacksTest : public testing_support::WorkspaceFixture,
                            public ::testing::WithParamInterface<testing_support::StoreBackend> {
 protected:
  testing_support::StoreBackend backend() const override { return GetParam(); }
  void SetUp() override {
    if (const auto why = backend().unavailable(); !why.empty()) GTEST_SKIP() << why;
    WorkspaceFixture::SetUp();
  }

  Result<std::vector<PackOutcome>> import(const std::vector<Simulation>& simulations,
                                          std::int64_t workspace = 0) {
    return import_pack(*store_, catalogue_, caller(Role::kAdmin, workspace), pack_of(simulations),
                       kNow);
  }

  std::vector<std::string> slugs(std::int64_t workspace = 0) {
    std::vector<std::string> out;
    const auto library = catalogue_.for_workspace(*store_, workspace == 0 ? ws_ : workspace);
    EXPECT_TRUE(library.has_value());
    for (const auto& s : library->library->all()) out.push_back(s.slug);
    return out;
  }

  LibraryCatalogue catalogue_{
      std::make_shared<SimulationLibrary>(std::vector<Simulation>{sample("shipped-one", 2)})};
};

TEST_P(SimulationPacksTest, AnImportIsSeenByItsWorkspaceOnlyAndAuditedOnce) {
  const auto outcomes = import({sample("ours-b"), sample("ours-a")});
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().message;
  ASSERT_EQ(outcomes->size(), 2u);
  EXPECT_EQ((*outcomes)[0].slug, "ours-a");  // the pack's folders, by slug
  EXPECT_EQ((*outcomes)[0].outcome, "added");
  // Sorted by title, shipped and imported together.
  EXPECT_EQ(slugs(), (std::vector<std::string>{"ours-a", "ours-b", "shipped-one"}));
  EXPECT_EQ(slugs(other_ws_), (std::vector<std::string>{"shipped-one"}));
  const auto library = catalogue_.for_workspace(*store_, ws_);
  ASSERT_NE(library->import_of("ours-a"), nullptr);
  EXPECT_EQ(library->import_of("shipped-one"), nullptr);
  EXPECT_FALSE(library->replaces_shipped("ours-a"));
  EXPECT_EQ(audit_actions(), (std::vector<std::string>{"library.import"}));
}

TEST_P(SimulationPacksTest, APackWithOneBrokenSimulationImportsNothing) {
  Simulation broken = sample("broken");
  broken.text = "No link at all.";
  const auto refused = import({sample("fine"), broken});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_NE(refused.error().message.find("broken"), std::string::npos) << refused.error().message;
  EXPECT_EQ(slugs(), (std::vector<std::string>{"shipped-one"}));
  EXPECT_TRUE(audit_actions().empty());
}

TEST_P(SimulationPacksTest, VersionsDecideWhetherAnImportReplaces) {
  ASSERT_TRUE(import({sample("ours")}).has_value());
  EXPECT_EQ(import({sample("ours")})->at(0).outcome, "unchanged");
  Simulation reworded = sample("ours");
  reworded.text = "Please open the file: {{.URL}}";
  const auto conflict = import({reworded});
  ASSERT_FALSE(conflict.has_value());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_NE(conflict.error().message.find("raise version above 1"), std::string::npos);
  reworded.version = 2;
  EXPECT_EQ(import({reworded})->at(0).outcome, "updated");
  const auto library = catalogue_.for_workspace(*store_, ws_);
  EXPECT_EQ(library->library->find("ours")->text, reworded.text);
  // An older version after a newer one is refused too.
  const auto older = import({sample("ours")});
  ASSERT_FALSE(older.has_value());
  EXPECT_EQ(older.error().code, ErrorCode::kConflict);
}

TEST_P(SimulationPacksTest, AShippedSlugIsReplacedForTheWorkspaceOnlyAboveItsVersion) {
  // The shipped simulation as it is (an export of it, say) changes nothing.
  const auto same = import({sample("shipped-one", 2)});
  ASSERT_TRUE(same.has_value()) << same.error().message;
  EXPECT_EQ(same->at(0).outcome, "unchanged");
  EXPECT_EQ(catalogue_.for_workspace(*store_, ws_)->import_of("shipped-one"), nullptr);
  Simulation reworded = sample("shipped-one", 2);
  reworded.subject = "Reworded";
  const auto clash = import({reworded});
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  Simulation ours = sample("shipped-one", 3);
  ours.title = "Our own version";
  ASSERT_TRUE(import({ours}).has_value());
  const auto library = catalogue_.for_workspace(*store_, ws_);
  EXPECT_TRUE(library->replaces_shipped("shipped-one"));
  EXPECT_EQ(library->library->all().size(), 1u);
  EXPECT_EQ(library->library->find("shipped-one")->title, "Our own version");
  EXPECT_EQ(catalogue_.for_workspace(*store_, other_ws_)->library->find("shipped-one")->version, 2);
  // Removing the import brings the shipped one back; a shipped one is not removed.
  ASSERT_TRUE(
      remove_imported_simulation(*store_, catalogue_, caller(Role::kAdmin), "shipped-one", kNow)
          .has_value());
  EXPECT_EQ(catalogue_.for_workspace(*store_, ws_)->library->find("shipped-one")->version, 2);
  const auto shipped =
      remove_imported_simulation(*store_, catalogue_, caller(Role::kAdmin), "shipped-one", kNow);
  EXPECT_EQ(shipped.error().code, ErrorCode::kConflict);
  const auto unknown =
      remove_imported_simulation(*store_, catalogue_, caller(Role::kAdmin), "nothing", kNow);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(SimulationPacksTest, OnlyAdminsImportAndRemoveAndViewersDoNotExport) {
  const auto operator_import =
      import_pack(*store_, catalogue_, caller(Role::kOperator), pack_of({sample("x")}), kNow);
  EXPECT_EQ(operator_import.error().code, ErrorCode::kForbidden);
  const auto operator_remove =
      remove_imported_simulation(*store_, catalogue_, caller(Role::kOperator), "x", kNow);
  EXPECT_EQ(operator_remove.error().code, ErrorCode::kForbidden);
  const auto viewer_export =
      export_pack(*store_, catalogue_, nullptr, caller(Role::kViewer), {{"shipped-one"}, {}}, kNow);
  EXPECT_EQ(viewer_export.error().code, ErrorCode::kForbidden);
}

TEST_P(SimulationPacksTest, TheCatalogueRebuildsOnlyWhenTheRowsChange) {
  const auto before = catalogue_.for_workspace(*store_, ws_);
  EXPECT_EQ(before->library.get(), &catalogue_.shipped());  // nothing imported: the shipped one
  ASSERT_TRUE(import({sample("ours")}).has_value());
  const auto first = catalogue_.for_workspace(*store_, ws_);
  const auto again = catalogue_.for_workspace(*store_, ws_);
  EXPECT_EQ(first->library, again->library);
  Simulation newer = sample("ours", 2);
  newer.title = "Newer";
  ASSERT_TRUE(import({newer}).has_value());
  const auto after = catalogue_.for_workspace(*store_, ws_);
  EXPECT_NE(after->library, first->library);
  EXPECT_EQ(after->library->find("ours")->title, "Newer");
}

TEST_P(SimulationPacksTest, AStoredImportThatNoLongerLoadsIsLeftOut) {
  write([&](Repositories& repos) {
    repos.library.put_imported_simulation(ws_, {0, "stale", 1, kNow},
                                          {{"simulation.toml", "slug = \"stale\""}});
  });
  EXPECT_EQ(slugs(), (std::vector<std::string>{"shipped-one"}));
}

TEST_P(SimulationPacksTest, ExportedSimulationsAndTemplatesImportBack) {
  ASSERT_TRUE(import({sample("ours")}).has_value());
  EmailTemplate tmpl;
  tmpl.name = "Acme pay slip";
  tmpl.subject = "Your Acme pay slip";
  tmpl.from = "Acme Payroll <payroll@pay-portal.example>";
  tmpl.html = "<p><a href=\"{{.URL}}\">Open</a></p>{{.Tracker}}";
  tmpl.text = "Open: {{.URL}}";
  tmpl.red_flags = {{"from", "pay-portal.example", "Not Acme's own domain."}};
  tmpl.phish_scale.category = "hr-and-payroll";
  tmpl.phish_scale.cues = {{"sense_of_urgency", "the subject"}};
  tmpl.created_at = tmpl.updated_at = kNow;
  write([&](Repositories& repos) { tmpl.id = repos.templates.create_template(ws_, tmpl)->id; });
  const auto pack =
      export_pack(*store_, catalogue_, nullptr, caller(Role::kOperator),
                  {{"ours", "shipped-one"}, {{tmpl.id, std::nullopt, std::nullopt}}}, kNow);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  const auto folders = read_pack(*pack);
  ASSERT_TRUE(folders.has_value()) << folders.error().message;
  ASSERT_EQ(folders->size(), 3u);
  EXPECT_EQ((*folders)[0].slug, "acme-pay-slip");
  const auto exported = parse_simulation((*folders)[0]);
  ASSERT_TRUE(exported.has_value()) << exported.error().message;
  EXPECT_EQ(exported->subject, "Your {{.OrgName}} pay slip");
  EXPECT_EQ(exported->from_name, "{{.OrgName}} Payroll");
  EXPECT_EQ(exported->red_flags[0].explanation, "Not {{.OrgName}}'s own domain.");
  EXPECT_EQ(exported->category, "hr-and-payroll");
  // Into another workspace, where it is rebranded when used.
  const auto imported =
      import_pack(*store_, catalogue_, caller(Role::kAdmin, other_ws_), *pack, kNow);
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(slugs(other_ws_).size(), 3u);  // acme-pay-slip, ours, shipped-one
}

TEST_P(SimulationPacksTest, ExportRefusalsNameTheTemplateAndTheRule) {
  EmailTemplate tmpl;
  tmpl.name = "No category";
  tmpl.subject = "Hello";
  tmpl.from = "x@y.example";
  tmpl.html = "<a href=\"{{.URL}}\">x</a>{{.Tracker}}";
  tmpl.text = "{{.URL}}";
  write([&](Repositories& repos) { tmpl.id = repos.templates.create_template(ws_, tmpl)->id; });
  const auto no_category =
      export_pack(*store_, catalogue_, nullptr, caller(), {{}, {{tmpl.id, {}, {}}}}, kNow);
  ASSERT_FALSE(no_category.has_value());
  EXPECT_NE(no_category.error().message.find("\"No category\""), std::string::npos);
  EXPECT_NE(no_category.error().message.find("category"), std::string::npos);

  tmpl.phish_scale.category = "it-help-desk";
  tmpl.html = "<img src=\"https://cdn.example/x.png\"><a href=\"{{.URL}}\">x</a>{{.Tracker}}";
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.templates.update_template(ws_, tmpl).has_value());
  });
  const auto remote =
      export_pack(*store_, catalogue_, nullptr, caller(), {{}, {{tmpl.id, {}, {}}}}, kNow);
  ASSERT_FALSE(remote.has_value());
  EXPECT_NE(remote.error().message.find("https://"), std::string::npos) << remote.error().message;

  const auto unknown = export_pack(*store_, catalogue_, nullptr, caller(), {{"no-such"}, {}}, kNow);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  const auto other = export_pack(*store_, catalogue_, nullptr, caller(Role::kOperator, other_ws_),
                                 {{}, {{tmpl.id, {}, {}}}}, kNow);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);  // another workspace's template
  const auto none = export_pack(*store_, catalogue_, nullptr, caller(), {}, kNow);
  EXPECT_EQ(none.error().code, ErrorCode::kValidation);
}

INSTANTIATE_TEST_SUITE_P(Backends, SimulationPacksTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

EmailTemplate attachment_template() {
  EmailTemplate t;
  t.name = "Remittance";
  t.subject = "Remittance advice";
  t.from = "accounts@supplier.example";
  t.html = "<a href=\"{{.URL}}\">View</a>{{.Tracker}}";
  t.text = "{{.URL}}";
  t.attachments = {{"Remittance Advice.html", "text/html", base64_encode("<p>Advice</p>")}};
  t.phish_scale.category = "invoice-and-payment";
  return t;
}

TEST(TemplateAsSimulation, ChannelSenderAndAttachmentsFollowTheTemplate) {
  const EmailTemplate t = attachment_template();
  const auto s =
      template_as_simulation({&t, nullptr, "remittance", "en", {}, {"Acme", "acme.example"}});
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->channel, "attachment");
  EXPECT_EQ(s->from_name, "accounts@supplier.example");  // no display name: the address
  ASSERT_EQ(s->attachments.size(), 1u);
  EXPECT_EQ(s->attachments[0].content, "<p>Advice</p>");
  const auto files = simulation_files(*s);
  EXPECT_NE(files.find("attachments/remittance-advice.html"), nullptr);

  EmailTemplate qr = attachment_template();
  qr.attachments.clear();
  qr.html = "{{.QRCode}}<a href=\"{{.URL}}\">x</a>{{.Tracker}}";
  EXPECT_EQ(template_as_simulation({&qr, nullptr, "qr", "en", {}, {}})->channel, "qr-code");

  EmailTemplate pdf = attachment_template();
  pdf.attachments[0].content_type = "application/pdf";
  const auto refused = template_as_simulation({&pdf, nullptr, "pdf", "en", {}, {}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("application/pdf"), std::string::npos);
}

TEST(TemplateAsSimulation, TheExampleDomainAndShortNamesAreNotUnbranded) {
  EmailTemplate t = attachment_template();
  t.subject = "IT: a note from example.org";
  const auto s = template_as_simulation({&t, nullptr, "x", "en", {}, {"IT", "example.org", true}});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->subject, "IT: a note from example.org");
}

}  // namespace
}  // namespace phishdrill::service
