#include "core/suspicious_phrases.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {
namespace {

std::vector<std::string> phrases(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& match : find_suspicious_phrases(text)) out.emplace_back(match.phrase);
  return out;
}

TEST(FindSuspiciousPhrases, EachKind) {
  const auto found = find_suspicious_phrases(
      "URGENT: your account will be suspended. Please verify your password and send the gift "
      "card codes.");
  // "will be suspended" is also a threat, listed after the sign-in secrets.
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[0].kind, PhraseKind::kUrgency);
  EXPECT_EQ(found[0].phrase, "urgent");
  EXPECT_EQ(found[1].phrase, "account will be suspended");
  EXPECT_EQ(found[2].kind, PhraseKind::kPayment);
  EXPECT_EQ(found[2].phrase, "gift card");
  EXPECT_EQ(found[3].kind, PhraseKind::kCredential);
  EXPECT_EQ(found[3].phrase, "verify your password");
  EXPECT_EQ(found[4].kind, PhraseKind::kThreat);
  EXPECT_EQ(found[4].phrase, "will be suspended");
}

TEST(FindSuspiciousPhrases, IgnoresCaseAndWhitespaceRuns) {
  EXPECT_EQ(phrases("Reply WITHIN\n\t 24   hours"), std::vector<std::string>{"within 24 hours"});
  EXPECT_EQ(phrases("Final\xC2\xA0Notice"), std::vector<std::string>{"final notice"});
}

TEST(FindSuspiciousPhrases, WholeWordsOnly) {
  EXPECT_EQ(phrases("They acted urgently."), std::vector<std::string>{"urgently"});
  EXPECT_EQ(phrases("insurgent"), std::vector<std::string>{});
  EXPECT_EQ(phrases("act nowhere"), std::vector<std::string>{});
  EXPECT_EQ(phrases("libanese"), std::vector<std::string>{});  // "iban" inside a word
  EXPECT_EQ(phrases("(urgent)"), std::vector<std::string>{"urgent"});
}

TEST(FindSuspiciousPhrases, EachPhraseOnce) {
  EXPECT_EQ(phrases("urgent urgent URGENT"), std::vector<std::string>{"urgent"});
}

TEST(FindSuspiciousPhrases, NothingInOrdinaryMail) {
  EXPECT_TRUE(find_suspicious_phrases("Hi team, the minutes of Tuesday's meeting are attached. "
                                      "Thanks, Ada")
                  .empty());
  EXPECT_TRUE(find_suspicious_phrases("").empty());
}

TEST(FindSuspiciousPhrases, HostileInput) {
  EXPECT_EQ(phrases("\xFF\xFE urgent \xC0"), std::vector<std::string>{"urgent"});
  // Only the first 256 KiB are read.
  EXPECT_TRUE(phrases(std::string(300 * 1024, 'x') + " urgent").empty());
  EXPECT_EQ(phrases(std::string(200 * 1024, ' ') + "urgent"), std::vector<std::string>{"urgent"});
}

// The kinds of the Phish Scale's language cues, English and Spanish.

std::vector<PhraseKind> kinds(std::string_view text) {
  std::vector<PhraseKind> out;
  for (const auto& match : find_suspicious_phrases(text)) out.push_back(match.kind);
  return out;
}

struct KindCase {
  PhraseKind kind;
  std::string_view text;
  std::string_view phrase;
};

TEST(SuspiciousPhrases, EachNewKindInEnglishAndSpanish) {
  using enum PhraseKind;
  for (const KindCase& c : std::vector<KindCase>{
           {kThreat, "This may lead to disciplinary action.", "disciplinary action"},
           {kThreat, "Podría llevar a medidas disciplinarias.", "medidas disciplinarias"},
           {kLegal, "All rights reserved.", "all rights reserved"},
           {kLegal, "Aviso de confidencialidad: ...", "aviso de confidencialidad"},
           {kSecurityBadge, "Scanned for viruses by MailGuard.", "scanned for viruses"},
           {kSecurityBadge, "Remitente verificado.", "remitente verificado"},
           {kGenericGreeting, "Dear valued customer,", "dear valued customer"},
           {kGenericGreeting, "Estimado cliente:", "estimado cliente"},
           {kPrize, "Claim your prize now.", "claim your prize"},
           {kPrize, "Reclame su premio.", "reclame su premio"},
           {kLimitedTime, "While supplies last.", "while supplies last"},
           {kLimitedTime, "Hasta agotar existencias.", "hasta agotar existencias"},
           {kSpecial, "An exclusive invitation for you.", "exclusive invitation"},
           {kSpecial, "Oferta exclusiva.", "oferta exclusiva"},
           {kAppeal, "Support the victims of the flood.", "support the victims"},
           {kAppeal, "Fondo de ayuda para los afectados.", "fondo de ayuda"},
       }) {
    const auto found = find_suspicious_phrases(c.text);
    const bool has = std::ranges::any_of(
        found, [&](const PhraseMatch& m) { return m.kind == c.kind && m.phrase == c.phrase; });
    EXPECT_TRUE(has) << c.text;
    for (const PhraseMatch& m : found) {
      EXPECT_EQ(m.kind, c.kind) << c.text << ": also " << m.phrase;
    }
  }
}

TEST(SuspiciousPhrases, SpanishHasteMoneyAndSecrets) {
  EXPECT_EQ(phrases("Responda de inmediato"), std::vector<std::string>{"de inmediato"});
  EXPECT_EQ(kinds("Envíe la transferencia bancaria"),
            std::vector<PhraseKind>{PhraseKind::kPayment});
  EXPECT_EQ(phrases("Introduzca el código de verificación"),
            std::vector<std::string>{"codigo de verificacion"});
}

TEST(SuspiciousPhrases, CaseAndAccentsAreFolded) {
  EXPECT_EQ(phrases("Escriba su CONTRASEÑA"), std::vector<std::string>{"contrasena"});
  EXPECT_EQ(phrases("Escriba su Contraseña"), std::vector<std::string>{"contrasena"});
  EXPECT_EQ(phrases("Escriba su contrasena"), std::vector<std::string>{"contrasena"});
  // "n" followed by a combining tilde (U+0303).
  EXPECT_EQ(phrases("Escriba su contrasen\xCC\x83"
                    "a"),
            std::vector<std::string>{"contrasena"});
  EXPECT_EQ(phrases("ACCIÓN DISCIPLINARIA"), std::vector<std::string>{"accion disciplinaria"});
  EXPECT_EQ(phrases("Su cuenta SERÁ SUSPENDIDA"), std::vector<std::string>{"sera suspendida"});
}

TEST(SuspiciousPhrases, PhrasesAreGivenInTheTablesSpelling) {
  const auto found = find_suspicious_phrases("Confirme su CONTRASEÑA de inmediato.");
  ASSERT_FALSE(found.empty());
  for (const PhraseMatch& m : found) {
    for (const char c : m.phrase) {
      EXPECT_FALSE(c >= 'A' && c <= 'Z') << m.phrase;
      EXPECT_LT(static_cast<unsigned char>(c), 0x80) << m.phrase;
    }
  }
}

TEST(SuspiciousPhrases, SpanishWholeWordsOnly) {
  EXPECT_EQ(phrases("Guarde sus contraseñas"), std::vector<std::string>{});  // plural
  EXPECT_EQ(phrases("Recargos"), std::vector<std::string>{});
  EXPECT_EQ(phrases("Un premiobonus"), std::vector<std::string>{});
}

TEST(SuspiciousPhrases, PunctuationAroundAWordIsNotPartOfIt) {
  EXPECT_EQ(phrases("URGENT!"), std::vector<std::string>{"urgent"});
  EXPECT_EQ(phrases("\"urgent\""), std::vector<std::string>{"urgent"});
  EXPECT_EQ(phrases("Re: urgente."), std::vector<std::string>{"urgente"});
}

// Spanish opens exclamations and questions with ¡ and ¿, and quotes with
// « »; typographic quotes are everywhere. They are punctuation, not letters.
TEST(SuspiciousPhrases, NonAsciiPunctuationAroundAWordIsNotPartOfIt) {
  EXPECT_EQ(phrases("¡Urgente!"), std::vector<std::string>{"urgente"});
  EXPECT_EQ(phrases("¿Verifique su cuenta?"), std::vector<std::string>{"verifique su cuenta"});
  EXPECT_EQ(phrases("«urgente»"), std::vector<std::string>{"urgente"});
  EXPECT_EQ(phrases("\xE2\x80\x9CURGENT\xE2\x80\x9D"), std::vector<std::string>{"urgent"});
  EXPECT_EQ(phrases("¡Enhorabuena!"), std::vector<std::string>{"enhorabuena"});
}

TEST(SuspiciousPhrases, TheCopyrightSign) {
  EXPECT_EQ(kinds("© 2024 Example"), std::vector<PhraseKind>{PhraseKind::kLegal});
}

TEST(SuspiciousPhrases, NewKindsAreNotFoundInOrdinaryMail) {
  EXPECT_TRUE(find_suspicious_phrases("Hola equipo, adjunto el acta de la reunión del martes. "
                                      "Gracias, Ana")
                  .empty());
  EXPECT_TRUE(find_suspicious_phrases("The charitable-sounding subject line was a test.").empty());
}

}  // namespace
}  // namespace phishdrill
