// Which cluster a reported message joins (service/reporting/
// report_fingerprint.h): the sender and the subject without reply/forward
// prefixes, case or spacing; a message with neither falls back to its
// Message-ID, then to its text.
#include "service/reporting/report_fingerprint.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::service {
namespace {

ReportedMessage message(const std::string& from, const std::string& subject) {
  ReportedMessage m;
  m.from_address = from;
  m.subject = subject;
  return m;
}

TEST(ReportFingerprintTest, PrefixesCaseAndSpacingDoNotSplitACluster) {
  const std::string base = report_fingerprint(message("billing@evil.example", "invoice 42"));
  EXPECT_EQ(report_fingerprint(message("billing@evil.example", "RE: Fwd:  Invoice  42")), base);
  EXPECT_EQ(report_fingerprint(message("billing@evil.example", "  AW:WG:\tINVOICE\r\n 42 ")), base);
  EXPECT_EQ(report_fingerprint(message("Billing@Evil.Example", "Invoice 42")), base);
  // Another sender, or another subject, is another cluster.
  EXPECT_NE(report_fingerprint(message("billing@other.example", "RE: Fwd:  Invoice  42")), base);
  EXPECT_NE(report_fingerprint(message("billing@evil.example", "invoice 43")), base);
  EXPECT_NE(report_fingerprint(message("", "invoice 42")), base);
  EXPECT_NE(report_fingerprint(message("billing@evil.example", "")), base);
}

TEST(ReportFingerprintTest, TheSubjectIsComparedWithoutPrefixesCaseOrSpacing) {
  EXPECT_EQ(normalised_subject("RE: Fwd:  Invoice  42"), "invoice 42");
  EXPECT_EQ(normalised_subject("Fw: TR: SV: re:Payment"), "payment");
  EXPECT_EQ(normalised_subject("\t Hello \n World \t"), "hello world");
  // Only leading prefixes: the same words later are part of the subject.
  EXPECT_EQ(normalised_subject("Invoice RE: 42"), "invoice re: 42");
  EXPECT_EQ(normalised_subject("Review: the plan"), "review: the plan");
  EXPECT_EQ(normalised_subject("RE:"), "");
  EXPECT_EQ(normalised_subject(""), "");
}

TEST(ReportFingerprintTest, WithoutSenderOrSubjectTheMessageIdThenTheTextDecides) {
  ReportedMessage a;
  a.message_id = "1@x.example";
  a.text = "same text";
  ReportedMessage b = a;
  b.text = "other text";
  EXPECT_EQ(report_fingerprint(a), report_fingerprint(b));
  b.message_id = "2@x.example";
  EXPECT_NE(report_fingerprint(a), report_fingerprint(b));

  ReportedMessage c;
  c.text = "pay now";
  ReportedMessage d = c;
  EXPECT_EQ(report_fingerprint(c), report_fingerprint(d));
  d.text = "pay later";
  EXPECT_NE(report_fingerprint(c), report_fingerprint(d));
  // A Message-ID that happens to equal a text is not that text's cluster.
  ReportedMessage e;
  e.message_id = "pay now";
  EXPECT_NE(report_fingerprint(e), report_fingerprint(c));
}

}  // namespace
}  // namespace phishdrill::service
