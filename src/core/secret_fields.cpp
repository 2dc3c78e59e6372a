#include "core/secret_fields.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "core/ascii.h"
#include "core/html_tree.h"

namespace phishdrill {
namespace {

// Words for a secret, written folded (lower case, no accents, no spaces):
// found anywhere in a name. First: "password" in many languages.
constexpr std::string_view kSecretWords[] = {
    "pass", "pwd", "pword", "pswd", "kennw", "senha", "contrasen", "clave", "wachtw", "parol",
    "haslo", "heslo", "jelszo", "lozink", "sifre", "salasana", "losenord", "adgangskode", "kodeord",
    "katasandi", "matkhau", "geheim", "парол", "密码", "密碼", "口令", "パスワード", "暗証",
    "비밀번호", "암호", "κωδικ", "סיסמ", "كلمةالمرور", "पासवर्ड", "รหัสผ่าน",
    // codes, keys, card and account numbers
    "secret", "token", "credential", "passcode", "pincode", "pinnumber", "onetime", "totp",
    "otpcode", "authcode", "smscode", "accesscode", "securitycode", "verificationcode",
    "verifycode", "2fa", "securityanswer", "privatekey", "apikey", "cvv", "cvc", "ccnum", "cardnum",
    "cardno", "creditcard", "kreditkarte", "iban", "accountnumber", "accountno", "routingnumber",
    "socialsecurity", "sozialversicherung", "steuerid"};

// Short forms: secret only as a whole word of the name (user_pw, pw2, p).
constexpr std::string_view kSecretShortForms[] = {
    "p",   "pw",   "pwd",  "psw", "pword", "kw",   "mdp",   "pin",  "nip",  "otp",
    "tan", "itan", "mtan", "cvv", "cvc",   "csc",  "cid",   "ssn",  "sin",  "iban",
    "mfa", "tfa",  "code", "key", "pk",    "mima", "sandi", "pass", "auth", "secret"};

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes UTF-8; an invalid byte stands for itself (as U+FFFD would not help matching).
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int extra = b < 0x80         ? 0
                      : (b >> 5) == 6  ? 1
                      : (b >> 4) == 14 ? 2
                      : (b >> 3) == 30 ? 3
                                       : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
      out.push_back(b);
      ++i;
      continue;
    }
    char32_t c = extra == 0 ? b : (b & (0x3F >> extra));
    for (int k = 1; k <= extra; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(c);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Accented Latin letters (both cases) and the ASCII letter they fold to.
constexpr std::u32string_view kAccented =
    U"àáâãäåÀÁÂÃÄÅçÇèéêëÈÉÊËìíîïÌÍÎÏıİñÑòóôõöøÒÓÔÕÖØùúûüÙÚÛÜýÿÝ"
    U"ąĄćĆčČęĘěĚłŁńŃňŇőŐśŚšŠşŞźŹżŻžŽğĞřŘůŮűŰťŤďĎ";
constexpr std::string_view kFolded =
    "aaaaaaaaaaaacceeeeeeeeiiiiiiiiiinnoooooooooooouuuuuuuuyyy"
    "aacccceeeellnnnnoosssssszzzzzzggrruuuuttdd";
static_assert(kAccented.size() == kFolded.size());

// Lower case without accents; Cyrillic and Greek capitals lowered too.
char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (const auto at = kAccented.find(c); at != std::u32string_view::npos) {
    return static_cast<char32_t>(kFolded[at]);
  }
  if (c >= 0x0410 && c <= 0x042F) return c + 0x20;  // А-Я
  if (c >= 0x0400 && c <= 0x040F) return c + 0x50;  // Ѐ-Џ
  if (c >= 0x0391 && c <= 0x03A9) return c + 0x20;  // Α-Ω
  if (c == 0x03CE) return 0x03C9;                   // ώ
  if (c == 0x03AF) return 0x03B9;                   // ί
  if (c == 0x03CC) return 0x03BF;                   // ό
  return c;
}

char32_t unleet(char32_t c) {
  switch (c) {
    case '0':
      return 'o';
    case '1':
    case '!':
    case '|':
      return 'i';
    case '3':
      return 'e';
    case '4':
    case '@':
      return 'a';
    case '5':
    case '$':
      return 's';
    case '7':
    case '+':
      return 't';
    case '8':
      return 'b';
    case '9':
      return 'g';
    default:
      return c;
  }
}

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_upper(char32_t c) { return c >= 'A' && c <= 'Z'; }

// The name as one folded word (separators dropped), in the given spelling.
std::string compact(const std::vector<char32_t>& name, bool leet) {
  std::string out;
  for (const char32_t raw : name) {
    const char32_t c = leet ? unleet(raw) : raw;
    if (c < 0x80 && !is_ascii_alnum(c)) continue;
    append_utf8(out, fold(c));
  }
  return out;
}

// The name's words: split at separators, lower-to-upper case changes and
// letter-digit changes ("userPw2" -> user, pw, 2).
std::vector<std::string> words(const std::vector<char32_t>& name) {
  std::vector<std::string> out(1);
  char32_t previous = 0;
  for (const char32_t c : name) {
    if (c < 0x80 && !is_ascii_alnum(c)) {
      out.emplace_back();
      previous = 0;
      continue;
    }
    const bool boundary =
        previous != 0 && ((is_upper(c) && !is_upper(previous) && !is_digit(previous)) ||
                          (is_digit(c) != is_digit(previous)));
    if (boundary) out.emplace_back();
    append_utf8(out.back(), fold(c));
    previous = c;
  }
  std::erase(out, std::string());
  return out;
}

bool contains_secret_word(std::string_view folded) {
  return std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                     [&](std::string_view word) { return folded.find(word) != std::string::npos; });
}

bool is_secret_autocomplete(std::string_view raw) {
  const std::string value = ascii_lowercase(raw);
  std::size_t start = 0;
  while (start < value.size()) {
    const auto end = std::min(value.find_first_of(" \t\n\f\r", start), value.size());
    const std::string_view token = std::string_view(value).substr(start, end - start);
    if (token == "current-password" || token == "new-password" || token == "one-time-code" ||
        token == "webauthn" || token.starts_with("cc-")) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

bool is_password_type(const GumboElement& e) {
  const char* type = attribute_value(e, "type");
  if (type == nullptr) return false;
  return ascii_ifind(type, "password") != std::string_view::npos;
}

}  // namespace

bool is_secret_field_name(std::string_view name) {
  const auto points = code_points(name);
  if (contains_secret_word(compact(points, false)) || contains_secret_word(compact(points, true))) {
    return true;
  }
  for (const auto& word : words(points)) {
    if (std::find(std::begin(kSecretShortForms), std::end(kSecretShortForms), word) !=
        std::end(kSecretShortForms)) {
      return true;
    }
  }
  return false;
}

namespace {

void add_secret_fields(std::string_view html, std::set<std::string>& names) {
  const ParsedHtml parsed(html);
  parsed.for_each_element([&](const GumboElement& e) {
    if (!is_html(e, GUMBO_TAG_INPUT) && !is_html(e, GUMBO_TAG_TEXTAREA) &&
        !is_html(e, GUMBO_TAG_SELECT)) {
      return;
    }
    const char* name = attribute_value(e, "name");
    if (name == nullptr) return;
    const char* autocomplete = attribute_value(e, "autocomplete");
    if ((is_html(e, GUMBO_TAG_INPUT) && is_password_type(e)) ||
        (autocomplete != nullptr && is_secret_autocomplete(autocomplete))) {
      names.insert(name);
    }
  });
}

}  // namespace

std::set<std::string> secret_fields_in_html(std::string_view html) {
  std::set<std::string> names;
  add_secret_fields(html, names);
  if (const auto visible = without_noscript_content(html); visible && *visible != html) {
    add_secret_fields(*visible, names);  // what a browser with scripting on reads
  }
  return names;
}

}  // namespace phishdrill
