#include "core/phish_cues.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/phish_scale.h"

namespace phishdrill {
namespace {

// A dictionary of a few words: the SpellChecker port, for tests.
class WordListSpeller final : public SpellChecker {
 public:
  explicit WordListSpeller(std::set<std::string, std::less<>> words) : words_(std::move(words)) {}
  bool knows(std::string_view word) const override {
    asked_.emplace_back(word);
    return words_.contains(word);
  }
  // Every word it was asked about, in order.
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  std::set<std::string, std::less<>> words_;
  mutable std::vector<std::string> asked_;
};

// An ordinary message from the organisation that shows no cue: personal
// greeting, sender name shared with its address, our own domain.
CueMessage ordinary() {
  CueMessage m;
  m.from_name = "Payroll Team";
  m.from_address = "payroll@example.org";
  m.subject = "Minutes of Tuesday";
  m.text = "Hi {{.FirstName}},\nThe minutes of the meeting are attached.\nThanks, Ada";
  m.own_domains = {"example.org"};
  m.org_name = "Example Health";
  return m;
}

// The ordinary message whose body says `line` after the personal greeting.
CueMessage saying(std::string_view line) {
  CueMessage m = ordinary();
  m.text = "Hi {{.FirstName}},\n" + std::string(line) + "\nThanks, Ada";
  return m;
}

std::vector<FoundCue> cues_of(const CueMessage& m, const SpellChecker* speller = nullptr) {
  return detect_cues(m, speller);
}

std::vector<std::string> where_of(const std::vector<FoundCue>& cues, std::string_view type) {
  std::vector<std::string> out;
  for (const FoundCue& c : cues) {
    if (c.type == type) out.push_back(c.where);
  }
  return out;
}

std::size_t count_of(const std::vector<FoundCue>& cues, std::string_view type) {
  return where_of(cues, type).size();
}

bool shows(const CueMessage& m, std::string_view type) { return count_of(cues_of(m), type) > 0; }

std::string all_of(const std::vector<FoundCue>& cues) {
  std::string out;
  for (const FoundCue& c : cues) out += c.type + ": " + c.where + "\n";
  return out;
}

std::size_t scale_index(std::string_view type) {
  const auto types = phish_cue_types();
  const auto it = std::ranges::find_if(types, [&](const CueType& t) { return t.name == type; });
  return static_cast<std::size_t>(it - types.begin());
}

TEST(PhishCues, AnOrdinaryMessageShowsNone) {
  const auto cues = cues_of(ordinary());
  EXPECT_TRUE(cues.empty()) << all_of(cues);
}

TEST(PhishCues, EveryFoundTypeIsACueTypeOfTheScale) {
  CueMessage m = saying("URGENT: verify your password or your account will be suspended.");
  m.from_address = "payroll@examp1e.org";
  m.links = {{"{{.URL}}", "Open the document"}};
  m.attachments = {{"invoice.html", "text/html"}};
  const auto cues = cues_of(m);
  ASSERT_FALSE(cues.empty());
  for (const FoundCue& c : cues) {
    EXPECT_TRUE(is_cue_type(c.type)) << c.type;
    EXPECT_FALSE(c.where.empty()) << c.type;
  }
}

// url_hyperlinking

TEST(PhishCues, LinkTextThatHidesWhereItGoesIsHyperlinking) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", "Open the document"}};
  const auto cues = cues_of(m);
  EXPECT_EQ(where_of(cues, "url_hyperlinking"),
            std::vector<std::string>{"the link \"Open the document\""});
}

TEST(PhishCues, ABareUrlToItselfIsNotHyperlinking) {
  CueMessage m = ordinary();
  m.links = {{"https://example.org/minutes", "https://example.org/minutes"},
             {"https://example.org/agenda", "  https://example.org/agenda\n"}};
  const auto cues = cues_of(m);
  EXPECT_EQ(count_of(cues, "url_hyperlinking"), 0u) << all_of(cues);
}

TEST(PhishCues, AUrlShownOverAnotherAddressIsHyperlinking) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", "https://example.org/minutes"}};
  EXPECT_TRUE(shows(m, "url_hyperlinking"));
}

TEST(PhishCues, AnImageLinkIsHyperlinking) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", ""}};
  EXPECT_EQ(where_of(cues_of(m), "url_hyperlinking"),
            std::vector<std::string>{"an image links to a hidden address"});
}

TEST(PhishCues, HyperlinkingCountsOncePerLinkUpToTheLimit) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", "Open"}, {"{{.URL}}", "View"}};
  EXPECT_EQ(count_of(cues_of(m), "url_hyperlinking"), 2u);
  m.links = {{"{{.URL}}", "One"},  {"{{.URL}}", "Two"},  {"{{.URL}}", "Three"},
             {"{{.URL}}", "Four"}, {"{{.URL}}", "Five"}, {"{{.URL}}", "Six"}};
  EXPECT_EQ(count_of(cues_of(m), "url_hyperlinking"), static_cast<std::size_t>(kMaxCuesPerType));
}

TEST(PhishCues, TheSameLinkTextTwiceCountsOnce) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", "Open"}, {"{{.URL}}", "Open"}};
  EXPECT_EQ(count_of(cues_of(m), "url_hyperlinking"), 1u);
}

// domain_spoofing

TEST(PhishCues, ASenderDomainImitatingOursIsSpoofing) {
  for (const std::string_view domain : {"hr-example.org", "examp1e.org"}) {
    CueMessage m = ordinary();
    m.from_address = "payroll@" + std::string(domain);
    const auto cues = cues_of(m);
    const auto where = where_of(cues, "domain_spoofing");
    ASSERT_EQ(where.size(), 1u) << domain << "\n" << all_of(cues);
    EXPECT_NE(where[0].find("the sender's domain " + std::string(domain) + " imitates example.org"),
              std::string::npos)
        << where[0];
  }
}

TEST(PhishCues, OurOwnDomainAndItsSubdomainsAreNotSpoofing) {
  for (const std::string_view domain : {"example.org", "mail.example.org", "EXAMPLE.ORG"}) {
    CueMessage m = ordinary();
    m.from_address = "payroll@" + std::string(domain);
    const auto cues = cues_of(m);
    EXPECT_EQ(count_of(cues, "domain_spoofing"), 0u) << domain << "\n" << all_of(cues);
  }
}

TEST(PhishCues, AnUnrelatedDomainIsNotSpoofing) {
  CueMessage m = ordinary();
  m.from_address = "payroll@mailer-service.net";
  EXPECT_FALSE(shows(m, "domain_spoofing"));
}

TEST(PhishCues, NoOwnDomainsMeansNoSpoofing) {
  CueMessage m = ordinary();
  m.own_domains.clear();
  m.from_address = "payroll@examp1e.org";
  EXPECT_FALSE(shows(m, "domain_spoofing"));
}

TEST(PhishCues, AReplyToDomainImitatingOursIsSpoofing) {
  CueMessage m = ordinary();
  m.reply_to = "payroll@examp1e.org";
  const auto where = where_of(cues_of(m), "domain_spoofing");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_NE(where[0].find("the Reply-To domain examp1e.org"), std::string::npos) << where[0];
}

TEST(PhishCues, ALinkTextNamingALookalikeDomainIsSpoofing) {
  CueMessage m = ordinary();
  m.links = {{"{{.URL}}", "examp1e.org/login"}};
  const auto where = where_of(cues_of(m), "domain_spoofing");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_NE(where[0].find("the link text's domain examp1e.org"), std::string::npos) << where[0];
  m.links = {{"{{.URL}}", "example.org/login"}};
  EXPECT_FALSE(shows(m, "domain_spoofing"));
}

// display_name_mismatch

TEST(PhishCues, ASenderNameShowingAnotherAddressIsAMismatch) {
  CueMessage m = ordinary();
  m.from_name = "it@example.org";
  m.from_address = "helpdesk@mailer-service.net";
  const auto where = where_of(cues_of(m), "display_name_mismatch");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0],
            "the sender's name shows it@example.org but the mail is from "
            "helpdesk@mailer-service.net");
}

TEST(PhishCues, ASenderNameShowingItsOwnAddressIsNoMismatch) {
  CueMessage m = ordinary();
  m.from_name = "Payroll@Example.org";
  m.from_address = "payroll@example.org";
  EXPECT_FALSE(shows(m, "display_name_mismatch"));
}

TEST(PhishCues, ASenderNameClaimingTheOrganisationFromElsewhereIsAMismatch) {
  CueMessage m = ordinary();
  m.from_name = "Example Health Payroll";
  m.from_address = "payroll@mailer-service.net";
  const auto where = where_of(cues_of(m), "display_name_mismatch");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0],
            "the sender's name claims \"Example Health\" but the address is at "
            "mailer-service.net");
}

TEST(PhishCues, ASenderNameClaimingTheOrganisationIgnoresCaseAndAccents) {
  CueMessage m = ordinary();
  m.from_name = "EXAMPLE HÉALTH payroll";
  m.from_address = "payroll@mailer-service.net";
  EXPECT_TRUE(shows(m, "display_name_mismatch"));
}

TEST(PhishCues, TheOrganisationsNameFromItsOwnDomainIsNoMismatch) {
  CueMessage m = ordinary();
  m.from_name = "Example Health Payroll";
  m.from_address = "payroll@mail.example.org";
  const auto cues = cues_of(m);
  EXPECT_EQ(count_of(cues, "display_name_mismatch"), 0u) << all_of(cues);
}

TEST(PhishCues, ASenderNameWithNothingInCommonWithItsAddressIsAMismatch) {
  CueMessage m = ordinary();
  m.from_name = "Payroll Office";
  m.from_address = "jdoe@example.org";
  const auto where = where_of(cues_of(m), "display_name_mismatch");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0],
            "the sender's name \"Payroll Office\" has nothing in common with "
            "jdoe@example.org");
}

TEST(PhishCues, AShortWordInsideAnotherIsNoSharedWord) {
  CueMessage m = ordinary();
  m.from_name = "IT Office";
  m.from_address = "billing@example.org";  // "it" only inside "billing"
  EXPECT_EQ(count_of(cues_of(m), "display_name_mismatch"), 1u);
}

TEST(PhishCues, ASenderNameSharingAWordWithItsAddressIsNoMismatch) {
  for (const auto& [name, address] : std::vector<std::pair<std::string, std::string>>{
           {"Payroll Team", "payroll@example.org"},
           {"Jane Doe", "jdoe@example.org"},
           {"José Pérez", "jperez@example.org"},  // accents folded
           {"IT Helpdesk", "helpdesk@example.org"},
           {"IT Desk", "it@example.org"},  // a short word that is a whole word of it
           {"HR Team", "hr.office@example.org"}}) {
    CueMessage m = ordinary();
    m.from_name = name;
    m.from_address = address;
    const auto cues = cues_of(m);
    EXPECT_EQ(count_of(cues, "display_name_mismatch"), 0u) << name << "\n" << all_of(cues);
  }
}

TEST(PhishCues, AReplyToInAnotherOrganisationIsAMismatch) {
  CueMessage m = ordinary();
  m.reply_to = "payroll.team@mailer-service.net";
  const auto where = where_of(cues_of(m), "display_name_mismatch");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0], "replies go to mailer-service.net, not to the sender's example.org");
}

TEST(PhishCues, AReplyToInTheSendersOrganisationIsNoMismatch) {
  CueMessage m = ordinary();
  m.reply_to = "payroll@mail.example.org";
  EXPECT_FALSE(shows(m, "display_name_mismatch"));
  m.reply_to = "Payroll@EXAMPLE.org";
  EXPECT_FALSE(shows(m, "display_name_mismatch"));
}

// The header lists a Reply-To in another organisation as a mismatch of its
// own, not as a property of the sender's name.
TEST(PhishCues, AReplyToInAnotherOrganisationIsAMismatchWithoutASenderName) {
  CueMessage m = ordinary();
  m.from_name.clear();
  m.reply_to = "payroll.team@mailer-service.net";
  EXPECT_TRUE(shows(m, "display_name_mismatch")) << all_of(cues_of(m));
}

TEST(PhishCues, ANameClaimAndAReplyToElsewhereAreTwoMismatches) {
  CueMessage m = ordinary();
  m.from_name = "Example Health Payroll";
  m.from_address = "payroll@mailer-service.net";
  m.reply_to = "payroll@another-mailer.com";
  EXPECT_EQ(count_of(cues_of(m), "display_name_mismatch"), 2u);
}

// attachment_type

TEST(PhishCues, AnAttachmentThatRendersContentIsAnAttachmentCue) {
  CueMessage m = ordinary();
  m.attachments = {{"invoice.html", "text/html"}};
  const auto where = where_of(cues_of(m), "attachment_type");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0], "the attachment \"invoice.html\" is a file that runs or renders content");
}

TEST(PhishCues, ArchivesAndMacroDocumentsAreAttachmentCues) {
  CueMessage m = ordinary();
  m.attachments = {{"photos.zip", "application/zip"}, {"budget.xlsm", ""}};
  EXPECT_EQ(where_of(cues_of(m), "attachment_type"),
            (std::vector<std::string>{"the attachment \"photos.zip\" is an archive",
                                      "the attachment \"budget.xlsm\" is a document with macros"}));
}

TEST(PhishCues, APlainTextAttachmentIsNoCue) {
  CueMessage m = ordinary();
  m.attachments = {{"notes.txt", "text/plain"}, {"minutes.pdf", "application/pdf"}};
  const auto cues = cues_of(m);
  EXPECT_EQ(count_of(cues, "attachment_type"), 0u) << all_of(cues);
}

TEST(PhishCues, AttachmentCuesStopAtTheLimit) {
  CueMessage m = ordinary();
  m.attachments = {{"a.html", ""}, {"b.html", ""}, {"c.exe", ""}, {"d.js", ""}, {"e.zip", ""}};
  EXPECT_EQ(count_of(cues_of(m), "attachment_type"), static_cast<std::size_t>(kMaxCuesPerType));
}

// generic_greeting

TEST(PhishCues, DearCustomerIsAGenericGreeting) {
  CueMessage m = ordinary();
  m.text = "Dear customer,\nThe minutes are attached.";
  EXPECT_EQ(where_of(cues_of(m), "generic_greeting"),
            std::vector<std::string>{"the greeting \"dear customer\""});
}

TEST(PhishCues, AGreetingWithThePersonsNameIsNotGeneric) {
  EXPECT_FALSE(shows(ordinary(), "generic_greeting"));
  CueMessage m = ordinary();
  m.text = "Hello {{ .FirstName }}, the minutes are attached.";
  EXPECT_FALSE(shows(m, "generic_greeting"));
  m.text = "Good morning {{.FirstName}} {{.LastName}},\nThe minutes are attached.";
  EXPECT_FALSE(shows(m, "generic_greeting"));
}

TEST(PhishCues, ThePersonsNameInTheSubjectIsEnough) {
  CueMessage m = ordinary();
  m.subject = "{{.FirstName}}, the minutes";
  m.text = "The minutes are attached.";
  EXPECT_FALSE(shows(m, "generic_greeting"));
}

TEST(PhishCues, NoGreetingAndNoNameIsGeneric) {
  CueMessage m = ordinary();
  m.text = "\n\nThe minutes are attached.\nThanks, Ada";
  EXPECT_EQ(where_of(cues_of(m), "generic_greeting"),
            std::vector<std::string>{"no greeting and the person's name nowhere"});
  m.text = "";
  EXPECT_TRUE(shows(m, "generic_greeting"));
}

TEST(PhishCues, AGreetingWithoutTheNameIsGeneric) {
  CueMessage m = ordinary();
  m.text = "  Hello,\nThe minutes are attached.";
  EXPECT_EQ(where_of(cues_of(m), "generic_greeting"),
            std::vector<std::string>{"the greeting \"Hello,\" does not name the person"});
  m.text = "Buenos días,\nAdjuntamos el acta.";
  EXPECT_EQ(where_of(cues_of(m), "generic_greeting"),
            std::vector<std::string>{"the greeting \"Buenos días,\" does not name the person"});
}

TEST(PhishCues, SpanishGenericGreetings) {
  CueMessage m = ordinary();
  m.text = "Estimado cliente:\nAdjuntamos el acta.";
  EXPECT_EQ(where_of(cues_of(m), "generic_greeting"),
            std::vector<std::string>{"the greeting \"estimado cliente\""});
  m.text = "ESTIMADA USUARIA:\nAdjuntamos el acta.";
  EXPECT_TRUE(shows(m, "generic_greeting"));
  m.text = "Hola {{.FirstName}}:\nAdjuntamos el acta.";
  EXPECT_FALSE(shows(m, "generic_greeting"));
}

TEST(PhishCues, AGenericGreetingCountsOnce) {
  CueMessage m = ordinary();
  m.text = "Dear customer, dear user, dear member,\nThe minutes are attached.";
  EXPECT_EQ(count_of(cues_of(m), "generic_greeting"), 1u);
}

// The phrase cues.

struct PhraseCase {
  std::string_view type;
  std::string_view line;
};

TEST(PhishCues, EnglishPhrasesShowTheirCue) {
  for (const PhraseCase& c : std::vector<PhraseCase>{
           {"sense_of_urgency", "Please reply urgently."},
           {"sense_of_urgency", "Action required within 24 hours."},
           {"threatening_language", "Failing that, your access will be revoked."},
           {"threatening_language", "This may lead to disciplinary action."},
           {"requests_sensitive_info", "Please verify your password here."},
           {"requests_sensitive_info", "Please send the wire transfer today."},
           {"requests_sensitive_info", "Could you buy three gift cards for the team?"},
           {"legal_language", "Copyright 2024 Example. All rights reserved."},
           {"security_indicators", "This message is virus-free."},
           {"too_good_to_be_true", "Congratulations, you have won a tablet."},
           {"limited_time_offer", "This offer expires on Friday."},
           {"you_are_special", "You have been selected for a bonus."},
           {"humanitarian_appeal", "Please donate to the relief fund."},
       }) {
    const auto cues = cues_of(saying(c.line));
    EXPECT_GT(count_of(cues, c.type), 0u) << c.type << ": " << c.line << "\n" << all_of(cues);
  }
}

TEST(PhishCues, OrdinaryLinesShowNoPhraseCue) {
  for (const std::string_view line : {
           "The insurgent forces in the novel are well drawn.",  // not "urgent"
           "We will review the action items on Tuesday.",
           "Your password manager has a new colour theme.",
           "The rights of way are marked on the map.", "There is free coffee in the kitchen.",
           "The award ceremony is next week.", "The offer stands until we hear back.",
           "Please bring the selected items.",
           "Last year the team donated old laptops.",  // not "donate"
       }) {
    const auto cues = cues_of(saying(line));
    EXPECT_TRUE(cues.empty()) << line << "\n" << all_of(cues);
  }
}

TEST(PhishCues, SpanishPhrasesShowTheirCueWithAccents) {
  for (const PhraseCase& c : std::vector<PhraseCase>{
           {"sense_of_urgency", "Responda de inmediato."},
           {"sense_of_urgency", "Acción requerida: revise su buzón."},
           {"threatening_language", "Esto podría llevar a una acción disciplinaria."},
           {"threatening_language", "Su cuenta será suspendida."},
           {"requests_sensitive_info", "Confirme su contraseña en el portal."},
           {"requests_sensitive_info", "Envíe sus datos bancarios hoy."},
           {"legal_language", "Todos los derechos reservados."},
           {"security_indicators", "Mensaje seguro, libre de virus."},
           {"too_good_to_be_true", "¡Enhorabuena! Ha ganado un premio."},
           {"limited_time_offer", "Oferta válida hasta el viernes."},
           {"you_are_special", "Usted ha sido seleccionado."},
           {"humanitarian_appeal", "Su donación ayudará a los afectados."},
       }) {
    const auto cues = cues_of(saying(c.line));
    EXPECT_GT(count_of(cues, c.type), 0u) << c.type << ": " << c.line << "\n" << all_of(cues);
  }
}

TEST(PhishCues, PhraseCuesQuoteTheTablesSpelling) {
  EXPECT_EQ(where_of(cues_of(saying("Confirme su CONTRASEÑA.")), "requests_sensitive_info"),
            (std::vector<std::string>{"\"confirme su contrasena\"", "\"contrasena\""}));
  EXPECT_EQ(where_of(cues_of(saying("Riesgo de acción disciplinaria.")), "threatening_language"),
            std::vector<std::string>{"\"accion disciplinaria\""});
}

TEST(PhishCues, PhrasesInTheSubjectCount) {
  CueMessage m = ordinary();
  m.subject = "URGENT: minutes of Tuesday";
  EXPECT_EQ(where_of(cues_of(m), "sense_of_urgency"), std::vector<std::string>{"\"urgent\""});
}

TEST(PhishCues, PhrasesMatchWholeWordsOnly) {
  EXPECT_FALSE(shows(saying("The insurgent army."), "sense_of_urgency"));
  EXPECT_FALSE(shows(saying("A libanese recipe."), "requests_sensitive_info"));
  EXPECT_FALSE(shows(saying("Our prizewinning design."), "too_good_to_be_true"));
  EXPECT_TRUE(shows(saying("(urgent)"), "sense_of_urgency"));
}

TEST(PhishCues, PhraseCuesStopAtTheLimit) {
  const auto cues = cues_of(
      saying("Urgent: act now, immediately, right away, without delay. Final notice, deadline."));
  EXPECT_EQ(count_of(cues, "sense_of_urgency"), static_cast<std::size_t>(kMaxCuesPerType));
  // The first in the table's order are kept.
  EXPECT_EQ(where_of(cues, "sense_of_urgency"),
            (std::vector<std::string>{"\"urgent\"", "\"immediately\"", "\"final notice\""}));
}

TEST(PhishCues, NoTypeCountsMoreThanTheLimit) {
  CueMessage m = saying(
      "Urgent, act now, immediately, right away! Your account will be suspended, deleted and "
      "disabled: disciplinary action, legal action, penalties. Verify your password, confirm your "
      "identity, send the wire transfer and the gift card. Congratulations, you have won a prize, "
      "winner! Donate to charity, the relief fund. Dear customer.");
  m.links = {{"{{.URL}}", "a"}, {"{{.URL}}", "b"}, {"{{.URL}}", "c"}, {"{{.URL}}", "d"}};
  m.attachments = {{"a.html", ""}, {"b.html", ""}, {"c.html", ""}, {"d.html", ""}};
  const auto cues = cues_of(m);
  for (const CueType& type : phish_cue_types()) {
    EXPECT_LE(count_of(cues, type.name), static_cast<std::size_t>(kMaxCuesPerType)) << type.name;
  }
  EXPECT_EQ(count_of(cues, "url_hyperlinking"), 3u);
  EXPECT_EQ(count_of(cues, "attachment_type"), 3u);
  EXPECT_EQ(count_of(cues, "requests_sensitive_info"), 3u);
  EXPECT_EQ(count_of(cues, "threatening_language"), 3u);
}

// spelling_grammar

TEST(PhishCues, UnknownLowerCaseWordsAreSpellingCuesOnceEach) {
  const WordListSpeller speller(
      {"the", "file", "and", "again", "please", "minutes", "of", "tuesday", "thanks"});
  CueMessage m = ordinary();
  m.text = "Hi {{.FirstName}},\nplease reviw the atached file and reviw it again.";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(where_of(cues, "spelling_grammar"),
            (std::vector<std::string>{"the word \"reviw\"", "the word \"atached\""}))
      << all_of(cues);
}

TEST(PhishCues, NoSpellerMeansNoSpellingCues) {
  CueMessage m = ordinary();
  m.text = "Hi {{.FirstName}},\nplease reviw the atached file.";
  EXPECT_EQ(count_of(cues_of(m, nullptr), "spelling_grammar"), 0u);
}

TEST(PhishCues, CapitalisedWordsAreNotChecked) {
  const WordListSpeller speller({"the", "file", "from", "and"});
  CueMessage m = ordinary();
  m.subject = "Minutes";
  m.text = "Hi {{.FirstName}},\nThe file from Zorblax and NASDAQ.\nThanks, Ada";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(count_of(cues, "spelling_grammar"), 0u) << all_of(cues);
  for (const std::string& word : speller.asked()) {
    EXPECT_TRUE(word == "the" || word == "file" || word == "from" || word == "and") << word;
  }
}

TEST(PhishCues, TemplateVariablesUrlsAndAddressesAreNotChecked) {
  const WordListSpeller speller({"see", "write", "and"});
  CueMessage m = ordinary();
  m.subject = "Minutes";
  m.text =
      "Hi {{.FirstName}},\nsee {{.trackingurl}} and {{ .portalpage }} or "
      "https://exampel.org/loggin and www.exampel.org/paeg, write jdoe@exampel.org.\nThanks";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(count_of(cues, "spelling_grammar"), 0u) << all_of(cues);
  for (const std::string& word : speller.asked()) {
    EXPECT_TRUE(word == "see" || word == "write" || word == "and") << word;
  }
}

TEST(PhishCues, ATemplateActionGluedToAWordIsNotChecked) {
  const WordListSpeller speller({"your", "reference"});
  CueMessage m = ordinary();
  m.subject = "Minutes";
  m.text = "Hi {{.FirstName}},\nyour reference:{{printf \"%05d\" .RId}}\nThanks";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(count_of(cues, "spelling_grammar"), 0u) << all_of(cues);
}

TEST(PhishCues, TheSubjectIsSpellChecked) {
  const WordListSpeller speller({"your", "the", "minutes", "are", "attached"});
  CueMessage m = ordinary();
  m.subject = "Update your acount";
  m.text = "Hi {{.FirstName}},\nthe minutes are attached.";
  EXPECT_EQ(where_of(cues_of(m, &speller), "spelling_grammar"),
            std::vector<std::string>{"the word \"acount\""});
}

TEST(PhishCues, SpanishWordsAreSpellCheckedWithTheirAccents) {
  const WordListSpeller speller({"confirme", "su", "contraseña", "hoy"});
  CueMessage m = ordinary();
  m.subject = "Aviso";
  m.text = "Hola {{.FirstName}}:\nconfirme su contraseña hoy, su contrasña.";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(where_of(cues, "spelling_grammar"), std::vector<std::string>{"the word \"contrasña\""})
      << all_of(cues);
}

TEST(PhishCues, ShortWordsAndWordsOfTheOrganisationsNameAreNotChecked) {
  const WordListSpeller speller({"welcome", "to"});
  CueMessage m = ordinary();
  m.org_name = "Examplia Health";
  m.subject = "Welcome";
  m.text = "Hi {{.FirstName}},\nwelcome to examplia, ok? xz\nThanks";
  const auto cues = cues_of(m, &speller);
  EXPECT_EQ(count_of(cues, "spelling_grammar"), 0u) << all_of(cues);
}

TEST(PhishCues, SpellingCuesStopAtTheLimit) {
  const WordListSpeller speller({});
  CueMessage m = ordinary();
  m.subject = "Minutes";
  m.text = "Hi {{.FirstName}},\naaa bbb ccc ddd eee fff";
  EXPECT_EQ(where_of(cues_of(m, &speller), "spelling_grammar"),
            (std::vector<std::string>{"the word \"aaa\"", "the word \"bbb\"", "the word \"ccc\""}));
}

// Order

TEST(PhishCues, ResultsComeInTheScalesOrder) {
  const WordListSpeller speller({"please", "verify", "your", "password", "now"});
  CueMessage m;
  m.from_name = "Example Health IT";
  m.from_address = "it@examp1e.org";
  m.reply_to = "helpdesk@mailer-service.net";
  m.subject = "URGENT: verify your password";
  m.text =
      "Dear customer,\nplease verify your pasword now or your account will be suspended. "
      "All rights reserved. This message is virus-free. Donate to the relief fund. You have been "
      "selected. Congratulations! This offer expires today.";
  m.links = {{"{{.URL}}", "examp1e.org/login"}};
  m.attachments = {{"invoice.html", "text/html"}};
  m.own_domains = {"example.org"};
  m.org_name = "Example Health";
  const auto cues = cues_of(m, &speller);
  ASSERT_GE(cues.size(), 10u) << all_of(cues);
  for (std::size_t i = 1; i < cues.size(); ++i) {
    EXPECT_LE(scale_index(cues[i - 1].type), scale_index(cues[i].type))
        << cues[i - 1].type << " before " << cues[i].type;
  }
  std::set<std::string> types;
  for (const FoundCue& c : cues) types.insert(c.type);
  for (const std::string_view type :
       {"spelling_grammar", "attachment_type", "display_name_mismatch", "url_hyperlinking",
        "domain_spoofing", "security_indicators", "legal_language", "requests_sensitive_info",
        "sense_of_urgency", "threatening_language", "generic_greeting", "humanitarian_appeal",
        "too_good_to_be_true", "you_are_special", "limited_time_offer"}) {
    EXPECT_TRUE(types.contains(std::string(type))) << type << "\n" << all_of(cues);
  }
  EXPECT_EQ(cues.front().type, "spelling_grammar");
}

TEST(PhishCues, LongQuotesAreCutOnACharacterBoundary) {
  CueMessage m = ordinary();
  std::string text;
  for (int i = 0; i < 40; ++i) text += "ñé";  // 160 bytes of two-byte characters
  m.links = {{"{{.URL}}", "x" + text}};
  const auto where = where_of(cues_of(m), "url_hyperlinking");
  ASSERT_EQ(where.size(), 1u);
  EXPECT_TRUE(where[0].starts_with("the link \"xñé"));
  EXPECT_TRUE(where[0].ends_with("…\"")) << where[0];
  EXPECT_LT(where[0].size(), 100u);
  // No broken character before the ellipsis.
  const std::string body = where[0].substr(0, where[0].size() - std::string("…\"").size());
  const auto last = static_cast<unsigned char>(body.back());
  EXPECT_TRUE(last < 0x80 || (last & 0xC0) == 0x80) << where[0];
}

}  // namespace
}  // namespace phishdrill
