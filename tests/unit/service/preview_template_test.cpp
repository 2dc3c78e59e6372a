// PreviewTemplate: a template rendered for one person with a fresh rid.
#include "service/preview_template.h"

#include <gtest/gtest.h>

#include "service/campaign_fixture.h"

namespace phishdrill::service {
namespace {

class PreviewTemplateTest : public testing_support::CampaignServiceFixture {
 protected:
  PreviewTemplate previewer() {
    return PreviewTemplate(*store_, tokens_, "https://phish.example.com");
  }
};

TEST_F(PreviewTemplateTest, ASavedTemplateIsRenderedForTheSamplePerson) {
  auto preview = previewer().saved(caller_, template_id_, PreviewPerson{});
  ASSERT_TRUE(preview.has_value()) << preview.error().message;
  const std::string rid = testing_support::FakeTokens().token(16);  // the first token
  EXPECT_EQ(preview->subject, "Hi Alex");
  EXPECT_EQ(preview->html,
            "<p>Dear Alex, <a href=\"https://phish.example.com/?rid=" + rid + "\">review</a></p>");
  EXPECT_EQ(preview->text, "");
  EXPECT_EQ(preview->from, "Payroll <payroll@corp.example>");
  EXPECT_EQ(tokens_.issued(), 1);
  EXPECT_TRUE(audit_log().empty());  // a preview changes nothing
}

TEST_F(PreviewTemplateTest, TheNamedPersonAndEveryVariableAreUsed) {
  EmailTemplate t;
  t.subject = "For {{.FirstName}} {{.LastName}}";
  t.text = "{{.Email}} {{.Position}} {{.URL}} {{.BaseURL}} {{.RId}} {{.From}}";
  t.from = "it@corp.example";
  PreviewPerson person;
  person.first_name = "Kim";
  person.last_name = "Lee";
  person.email = "kim@corp.example";
  person.position = "Nurse";
  auto preview = previewer().draft(t, person);
  ASSERT_TRUE(preview.has_value()) << preview.error().message;
  const std::string rid = testing_support::FakeTokens().token(16);
  EXPECT_EQ(preview->subject, "For Kim Lee");
  EXPECT_EQ(preview->text, "kim@corp.example Nurse https://phish.example.com/?rid=" + rid +
                               " https://phish.example.com " + rid + " it@corp.example");
}

TEST_F(PreviewTemplateTest, EachPreviewGetsAFreshRid) {
  EmailTemplate t;
  t.subject = "{{.RId}}";
  const auto first = previewer().draft(t, {});
  const auto second = previewer().draft(t, {});
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_NE(first->subject, second->subject);
}

TEST_F(PreviewTemplateTest, AnotherWorkspacesTemplateIsNotFound) {
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(previewer().saved(caller_, template_id_, {}).error().code, ErrorCode::kNotFound);
  caller_.workspace_id = ws_;
  EXPECT_EQ(previewer().saved(caller_, template_id_ + 100, {}).error().code, ErrorCode::kNotFound);
}

TEST_F(PreviewTemplateTest, ATemplateThatDoesNotCompileNamesThePart) {
  EmailTemplate t;
  t.subject = "fine";
  t.html = "{{.Nope}}";
  auto preview = previewer().draft(t, {});
  ASSERT_FALSE(preview.has_value());
  EXPECT_EQ(preview.error().code, ErrorCode::kValidation);
  EXPECT_EQ(preview.error().field, "html");
}

}  // namespace
}  // namespace phishdrill::service
