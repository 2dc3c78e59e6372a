// Email templates (core/email_template.h): an HTML attachment is checked as a
// template (it is filled per person), other attachments only as files.
#include "core/email_template.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace phishdrill {
namespace {

EmailTemplate with_attachment(const std::string& type, const std::string& content) {
  EmailTemplate t;
  t.name = "Remittance";
  t.subject = "Remittance advice";
  t.html = "<p>See the attached advice.</p>";
  t.attachments = {{"advice.html", type, base64_encode(content)}};
  return t;
}

TEST(EmailTemplate, AnHtmlAttachmentIsATemplate) {
  auto good = with_attachment("text/html", "<a href=\"{{.URL}}\">View</a>");
  EXPECT_TRUE(validate_email_template(good).has_value());
  EXPECT_TRUE(is_template_attachment(good.attachments[0]));

  auto bad = with_attachment("TEXT/HTML", "<a href=\"{{.Password}}\">View</a>");
  const auto refused = validate_email_template(bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "attachments[0].content");

  auto binary = with_attachment("text/html", "\xff\xfe not text");
  EXPECT_FALSE(validate_email_template(binary).has_value());
}

TEST(EmailTemplate, OtherAttachmentsAreFilesWhateverTheyHold) {
  auto pdf = with_attachment("application/pdf", "%PDF {{.Password}} \xff");
  EXPECT_TRUE(validate_email_template(pdf).has_value());
  EXPECT_FALSE(is_template_attachment(pdf.attachments[0]));
}

}  // namespace
}  // namespace phishdrill
