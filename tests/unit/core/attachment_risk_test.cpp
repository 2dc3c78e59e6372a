#include "core/attachment_risk.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(AttachmentRisk, ByExtension) {
  EXPECT_EQ(attachment_risk("invoice.HTML", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("payload.exe", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("doc.js", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("a.vbs", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("disk.iso", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("disk.img", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("Report.lnk", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("notes.one", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("budget.xlsm", ""), AttachmentRisk::kMacroDocument);
  EXPECT_EQ(attachment_risk("letter.docm", ""), AttachmentRisk::kMacroDocument);
  EXPECT_EQ(attachment_risk("photos.zip", ""), AttachmentRisk::kArchive);
  EXPECT_EQ(attachment_risk("minutes.pdf", "application/pdf"), AttachmentRisk::kNone);
  EXPECT_EQ(attachment_risk("minutes.docx", ""), AttachmentRisk::kNone);
  EXPECT_EQ(attachment_risk("", ""), AttachmentRisk::kNone);
  EXPECT_EQ(attachment_risk("README", ""), AttachmentRisk::kNone);
}

TEST(AttachmentRisk, TrailingDotsAndSpacesDoNotHideIt) {
  EXPECT_EQ(attachment_risk("payload.exe. ", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("payload.exe...", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(file_extension("a.EXE "), "exe");
  EXPECT_EQ(file_extension("noext"), "");
  EXPECT_EQ(file_extension("."), "");
}

TEST(AttachmentRisk, ByContentTypeToo) {
  EXPECT_EQ(attachment_risk("", "text/html; charset=utf-8"), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("statement.pdf", "TEXT/HTML"), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk("x", "application/zip"), AttachmentRisk::kArchive);
  EXPECT_EQ(attachment_risk("x.zip", "application/x-msdownload"), AttachmentRisk::kActiveContent);
}

TEST(HasDisguisedExtension, DoubleExtensions) {
  EXPECT_TRUE(has_disguised_extension("invoice.pdf.html"));
  EXPECT_TRUE(has_disguised_extension("INVOICE.PDF.EXE"));
  EXPECT_TRUE(has_disguised_extension("scan.jpg      .exe"));
  EXPECT_TRUE(has_disguised_extension("salaries.xlsx.xlsm"));
  EXPECT_FALSE(has_disguised_extension("report.2024.pdf"));
  EXPECT_FALSE(has_disguised_extension("archive.tar.gz"));
  EXPECT_FALSE(has_disguised_extension("invoice.pdf"));
  EXPECT_FALSE(has_disguised_extension("photo.jpg.pdf"));
  EXPECT_FALSE(has_disguised_extension("installer.exe"));
  EXPECT_FALSE(has_disguised_extension(".html"));
  EXPECT_FALSE(has_disguised_extension(""));
}

TEST(HasDisguisedExtension, RightToLeftOverride) {
  // Shows as "invoice_fdp.exe" reversed: "invoice_exe.pdf".
  EXPECT_TRUE(
      has_disguised_extension("invoice_\xE2\x80\xAE"
                              "fdp.exe"));
}

TEST(AttachmentRisk, HostileNames) {
  EXPECT_EQ(attachment_risk("\xFF\xFE.exe", ""), AttachmentRisk::kActiveContent);
  EXPECT_EQ(attachment_risk(std::string(100 * 1024, '.'), ""), AttachmentRisk::kNone);
  EXPECT_FALSE(has_disguised_extension(std::string(100 * 1024, '.')));
}

}  // namespace
}  // namespace phishdrill
