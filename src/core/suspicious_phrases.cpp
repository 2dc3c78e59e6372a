#include "core/suspicious_phrases.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "core/code_points.h"
#include "core/folded_text.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxTextBytes = 256 * 1024;

struct Phrase {
  PhraseKind kind;
  std::string_view text;
};

using enum PhraseKind;

// The phrase table: lower case without accents, single spaces; English then
// Spanish within each kind.
constexpr auto kSuspiciousPhrases = std::to_array<Phrase>({
    // Haste: the reader must act before thinking.
    {kUrgency, "urgent"},
    {kUrgency, "urgently"},
    {kUrgency, "immediately"},
    {kUrgency, "immediate action"},
    {kUrgency, "action required"},
    {kUrgency, "within 24 hours"},
    {kUrgency, "within 48 hours"},
    {kUrgency, "within 12 hours"},
    {kUrgency, "account will be suspended"},
    {kUrgency, "account has been suspended"},
    {kUrgency, "account will be closed"},
    {kUrgency, "account will be locked"},
    {kUrgency, "account has been locked"},
    {kUrgency, "will be deactivated"},
    {kUrgency, "will be terminated"},
    {kUrgency, "final notice"},
    {kUrgency, "final warning"},
    {kUrgency, "last warning"},
    {kUrgency, "last chance"},
    {kUrgency, "expires today"},
    {kUrgency, "act now"},
    {kUrgency, "as soon as possible"},
    {kUrgency, "time sensitive"},
    {kUrgency, "time-sensitive"},
    {kUrgency, "unusual activity"},
    {kUrgency, "unusual sign-in activity"},
    {kUrgency, "suspicious activity"},
    {kUrgency, "mailbox is full"},
    {kUrgency, "failure to comply"},
    {kUrgency, "by end of day"},
    {kUrgency, "by the end of the day"},
    {kUrgency, "by close of business"},
    {kUrgency, "right away"},
    {kUrgency, "without delay"},
    {kUrgency, "within the hour"},
    {kUrgency, "within 2 hours"},
    {kUrgency, "within 72 hours"},
    {kUrgency, "deadline"},
    {kUrgency, "urgente"},
    {kUrgency, "urgentemente"},
    {kUrgency, "inmediatamente"},
    {kUrgency, "de inmediato"},
    {kUrgency, "en las proximas 24 horas"},
    {kUrgency, "en 24 horas"},
    {kUrgency, "en 48 horas"},
    {kUrgency, "hoy mismo"},
    {kUrgency, "accion requerida"},
    {kUrgency, "se requiere accion"},
    {kUrgency, "lo antes posible"},
    {kUrgency, "cuanto antes"},
    {kUrgency, "a la mayor brevedad"},
    {kUrgency, "ultimo aviso"},
    {kUrgency, "vence hoy"},
    {kUrgency, "actividad inusual"},
    {kUrgency, "actividad sospechosa"},
    // Money: payment redirection, gift-card and invoice fraud.
    {kPayment, "wire transfer"},
    {kPayment, "bank transfer"},
    {kPayment, "bank details"},
    {kPayment, "banking details"},
    {kPayment, "bank account details"},
    {kPayment, "new bank account"},
    {kPayment, "change of bank"},
    {kPayment, "gift card"},
    {kPayment, "gift cards"},
    {kPayment, "itunes card"},
    {kPayment, "steam card"},
    {kPayment, "payment overdue"},
    {kPayment, "overdue invoice"},
    {kPayment, "outstanding invoice"},
    {kPayment, "outstanding payment"},
    {kPayment, "update your payment"},
    {kPayment, "payment details"},
    {kPayment, "payment information"},
    {kPayment, "swift code"},
    {kPayment, "iban"},
    {kPayment, "bitcoin"},
    {kPayment, "crypto wallet"},
    {kPayment, "credit card"},
    {kPayment, "card number"},
    {kPayment, "transferencia bancaria"},
    {kPayment, "datos bancarios"},
    {kPayment, "cuenta bancaria"},
    {kPayment, "nueva cuenta bancaria"},
    {kPayment, "cambio de cuenta"},
    {kPayment, "tarjeta regalo"},
    {kPayment, "tarjetas regalo"},
    {kPayment, "tarjeta de regalo"},
    {kPayment, "tarjetas de regalo"},
    {kPayment, "factura pendiente"},
    {kPayment, "factura vencida"},
    {kPayment, "pago pendiente"},
    {kPayment, "datos de pago"},
    {kPayment, "numero de tarjeta"},
    // Sign-in secrets and personal data.
    {kCredential, "verify your password"},
    {kCredential, "confirm your password"},
    {kCredential, "re-enter your password"},
    {kCredential, "reset your password"},
    {kCredential, "your password expires"},
    {kCredential, "your password will expire"},
    {kCredential, "password has expired"},
    {kCredential, "verify your account"},
    {kCredential, "confirm your account"},
    {kCredential, "validate your account"},
    {kCredential, "verify your identity"},
    {kCredential, "confirm your identity"},
    {kCredential, "update your account"},
    {kCredential, "unlock your account"},
    {kCredential, "sign in to your account"},
    {kCredential, "log in to your account"},
    {kCredential, "login credentials"},
    {kCredential, "mailbox quota"},
    {kCredential, "enter your credentials"},
    {kCredential, "verification code"},
    {kCredential, "security code"},
    {kCredential, "one-time code"},
    {kCredential, "one-time passcode"},
    {kCredential, "enter your password"},
    {kCredential, "approve the sign-in"},
    {kCredential, "approve the request"},
    {kCredential, "social security number"},
    {kCredential, "date of birth"},
    {kCredential, "login details"},
    {kCredential, "verifique su contrasena"},
    {kCredential, "verificar su contrasena"},
    {kCredential, "confirme su contrasena"},
    {kCredential, "restablecer su contrasena"},
    {kCredential, "restablezca su contrasena"},
    {kCredential, "su contrasena caduca"},
    {kCredential, "su contrasena vence"},
    {kCredential, "verifique su cuenta"},
    {kCredential, "verificar su cuenta"},
    {kCredential, "confirme su identidad"},
    {kCredential, "verifique su identidad"},
    {kCredential, "credenciales"},
    {kCredential, "codigo de verificacion"},
    {kCredential, "codigo de seguridad"},
    {kCredential, "contrasena"},
    {kCredential, "numero de la seguridad social"},
    {kCredential, "fecha de nacimiento"},
    // Threats: what happens to the reader who does not act.
    {kThreat, "will be suspended"},
    {kThreat, "will be deleted"},
    {kThreat, "will be disabled"},
    {kThreat, "will be locked"},
    {kThreat, "will be closed"},
    {kThreat, "will be terminated"},
    {kThreat, "will be deactivated"},
    {kThreat, "will be removed"},
    {kThreat, "will lose access"},
    {kThreat, "lose access"},
    {kThreat, "permanently deleted"},
    {kThreat, "disciplinary action"},
    {kThreat, "legal action"},
    {kThreat, "penalty"},
    {kThreat, "penalties"},
    {kThreat, "late fee"},
    {kThreat, "late fees"},
    {kThreat, "account suspension"},
    {kThreat, "access will be revoked"},
    {kThreat, "failure to comply"},
    {kThreat, "sera suspendida"},
    {kThreat, "sera suspendido"},
    {kThreat, "sera eliminada"},
    {kThreat, "sera eliminado"},
    {kThreat, "sera bloqueada"},
    {kThreat, "sera bloqueado"},
    {kThreat, "sera desactivada"},
    {kThreat, "sera desactivado"},
    {kThreat, "perdera el acceso"},
    {kThreat, "perdera acceso"},
    {kThreat, "accion disciplinaria"},
    {kThreat, "medidas disciplinarias"},
    {kThreat, "acciones legales"},
    {kThreat, "sancion"},
    {kThreat, "sanciones"},
    {kThreat, "recargo"},
    // Legal small print: copyright, disclaimers, confidentiality notices.
    {kLegal, "all rights reserved"},
    {kLegal, "copyright"},
    {kLegal, "©"},
    {kLegal, "confidentiality notice"},
    {kLegal, "this email is confidential"},
    {kLegal, "this message is confidential"},
    {kLegal, "intended only for"},
    {kLegal, "intended solely for"},
    {kLegal, "disclaimer"},
    {kLegal, "privileged and confidential"},
    {kLegal, "terms and conditions"},
    {kLegal, "todos los derechos reservados"},
    {kLegal, "aviso de confidencialidad"},
    {kLegal, "aviso legal"},
    {kLegal, "destinado exclusivamente"},
    {kLegal, "politica de privacidad"},
    {kLegal, "terminos y condiciones"},
    // Security badges: claims that the message itself is safe.
    {kSecurityBadge, "virus-free"},
    {kSecurityBadge, "virus free"},
    {kSecurityBadge, "scanned for viruses"},
    {kSecurityBadge, "no viruses found"},
    {kSecurityBadge, "secured by"},
    {kSecurityBadge, "secure message"},
    {kSecurityBadge, "encrypted message"},
    {kSecurityBadge, "verified sender"},
    {kSecurityBadge, "this message is secure"},
    {kSecurityBadge, "protected by"},
    {kSecurityBadge, "ssl secured"},
    {kSecurityBadge, "trusted sender"},
    {kSecurityBadge, "security verified"},
    {kSecurityBadge, "libre de virus"},
    {kSecurityBadge, "mensaje seguro"},
    {kSecurityBadge, "mensaje cifrado"},
    {kSecurityBadge, "remitente verificado"},
    {kSecurityBadge, "protegido por"},
    {kSecurityBadge, "verificado por"},
    // Generic greetings: the sender does not know the reader's name.
    {kGenericGreeting, "dear customer"},
    {kGenericGreeting, "dear user"},
    {kGenericGreeting, "dear employee"},
    {kGenericGreeting, "dear employees"},
    {kGenericGreeting, "dear staff"},
    {kGenericGreeting, "dear staff member"},
    {kGenericGreeting, "dear colleague"},
    {kGenericGreeting, "dear colleagues"},
    {kGenericGreeting, "dear team"},
    {kGenericGreeting, "dear sir"},
    {kGenericGreeting, "dear madam"},
    {kGenericGreeting, "dear sir or madam"},
    {kGenericGreeting, "dear valued customer"},
    {kGenericGreeting, "dear account holder"},
    {kGenericGreeting, "dear member"},
    {kGenericGreeting, "dear patient"},
    {kGenericGreeting, "dear all"},
    {kGenericGreeting, "hello user"},
    {kGenericGreeting, "hi there"},
    {kGenericGreeting, "hello there"},
    {kGenericGreeting, "estimado cliente"},
    {kGenericGreeting, "estimada clienta"},
    {kGenericGreeting, "estimado usuario"},
    {kGenericGreeting, "estimada usuaria"},
    {kGenericGreeting, "estimado empleado"},
    {kGenericGreeting, "estimada empleada"},
    {kGenericGreeting, "estimado colaborador"},
    {kGenericGreeting, "estimada colaboradora"},
    {kGenericGreeting, "estimados colaboradores"},
    {kGenericGreeting, "estimado/a"},
    {kGenericGreeting, "estimado(a)"},
    {kGenericGreeting, "apreciado usuario"},
    {kGenericGreeting, "querido usuario"},
    {kGenericGreeting, "estimado paciente"},
    {kGenericGreeting, "estimada paciente"},
    {kGenericGreeting, "hola a todos"},
    // Too good to be true: prizes and rewards.
    {kPrize, "congratulations"},
    {kPrize, "you have won"},
    {kPrize, "you've won"},
    {kPrize, "you won"},
    {kPrize, "winner"},
    {kPrize, "prize"},
    {kPrize, "free gift"},
    {kPrize, "claim your reward"},
    {kPrize, "claim your prize"},
    {kPrize, "felicidades"},
    {kPrize, "enhorabuena"},
    {kPrize, "ha ganado"},
    {kPrize, "has ganado"},
    {kPrize, "ganador"},
    {kPrize, "ganadora"},
    {kPrize, "premio"},
    {kPrize, "regalo gratis"},
    {kPrize, "reclame su premio"},
    {kPrize, "recompensa"},
    // Limited-time offers.
    {kLimitedTime, "limited time"},
    {kLimitedTime, "offer expires"},
    {kLimitedTime, "offer ends"},
    {kLimitedTime, "only today"},
    {kLimitedTime, "today only"},
    {kLimitedTime, "while supplies last"},
    {kLimitedTime, "first come first served"},
    {kLimitedTime, "first come, first served"},
    {kLimitedTime, "only a few left"},
    {kLimitedTime, "last day to"},
    {kLimitedTime, "ends tonight"},
    {kLimitedTime, "tiempo limitado"},
    {kLimitedTime, "oferta valida hasta"},
    {kLimitedTime, "solo hoy"},
    {kLimitedTime, "hasta agotar existencias"},
    {kLimitedTime, "ultimo dia"},
    {kLimitedTime, "termina esta noche"},
    {kLimitedTime, "plazas limitadas"},
    // "You are special": chosen just for the reader.
    {kSpecial, "you have been selected"},
    {kSpecial, "you've been selected"},
    {kSpecial, "specially for you"},
    {kSpecial, "just for you"},
    {kSpecial, "exclusive offer"},
    {kSpecial, "exclusive invitation"},
    {kSpecial, "secret admirer"},
    {kSpecial, "personal invitation"},
    {kSpecial, "ha sido seleccionado"},
    {kSpecial, "ha sido seleccionada"},
    {kSpecial, "has sido seleccionado"},
    {kSpecial, "has sido seleccionada"},
    {kSpecial, "exclusivamente para usted"},
    {kSpecial, "solo para usted"},
    {kSpecial, "oferta exclusiva"},
    {kSpecial, "invitacion exclusiva"},
    // Appeals to help others in need.
    {kAppeal, "donate"},
    {kAppeal, "donation"},
    {kAppeal, "donations"},
    {kAppeal, "help those"},
    {kAppeal, "those in need"},
    {kAppeal, "relief fund"},
    {kAppeal, "charity"},
    {kAppeal, "fundraiser"},
    {kAppeal, "support the victims"},
    {kAppeal, "make a difference"},
    {kAppeal, "donar"},
    {kAppeal, "donativo"},
    {kAppeal, "donacion"},
    {kAppeal, "donaciones"},
    {kAppeal, "fondo de ayuda"},
    {kAppeal, "beneficencia"},
    {kAppeal, "colecta"},
    {kAppeal, "los afectados"},
});

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// Punctuation that sits against a word ("¡Urgente!", "«urgente»", curly
// quotes): Latin-1's punctuation and the general punctuation block, but
// not the signs the table looks for (© and ®).
bool is_punctuation(char32_t c) {
  return ((c >= 0xA1 && c <= 0xBF) && c != 0xA9 && c != 0xAE) || (c >= 0x2000 && c <= 0x206F);
}

// Lower case without accents, punctuation and every run of whitespace one
// space.
std::string folded(std::string_view text) {
  std::u32string key = folded_text(text);
  std::ranges::replace_if(key, is_punctuation, U' ');
  return to_utf8(key);
}

bool contains_words(std::string_view text, std::string_view phrase) {
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(phrase, from);
    if (at == std::string_view::npos) return false;
    const std::size_t end = at + phrase.size();
    const bool starts = at == 0 || !is_word_char(text[at - 1]);
    const bool ends = end == text.size() || !is_word_char(text[end]);
    if (starts && ends) return true;
    from = at + 1;
  }
}

}  // namespace

std::vector<PhraseMatch> find_suspicious_phrases(std::string_view text) {
  const std::string haystack = folded(text.substr(0, std::min(text.size(), kMaxTextBytes)));
  std::vector<PhraseMatch> found;
  for (const Phrase& phrase : kSuspiciousPhrases) {
    if (contains_words(haystack, phrase.text)) found.push_back({phrase.kind, phrase.text});
  }
  return found;
}

}  // namespace phishdrill
