#include "core/secret_fields.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(SecretFieldName, PasswordsInManyLanguagesAndSpellings) {
  for (const char* name : {"password",
                           "Passwort",
                           "kennwort",
                           "senha",
                           "contraseña",
                           "CONTRASEÑA",
                           "clave",
                           "wachtwoord",
                           "mot de passe",
                           "mot_de_passe",
                           "mdp",
                           "parola",
                           "hasło",
                           "haslo",
                           "heslo",
                           "jelszó",
                           "lozinka",
                           "şifre",
                           "Şifre",
                           "sifre",
                           "пароль",
                           "Пароль",
                           "密码",
                           "密碼",
                           "パスワード",
                           "비밀번호",
                           "salasana",
                           "lösenord",
                           "passord",
                           "adgangskode",
                           "user[password]",
                           "j_password",
                           "loginPassword",
                           "passwd",
                           "pwd",
                           "pw",
                           "PW",
                           "pw2",
                           "p",
                           "P",
                           "p4ssw0rd",
                           "P@ssw0rd",
                           "pa55word",
                           "userPw",
                           "login-pw-1",
                           "new_pass",
                           "passcode",
                           "kata sandi"}) {
    EXPECT_TRUE(is_secret_field_name(name)) << name;
  }
}

TEST(SecretFieldName, CodesCardsAndNumbers) {
  for (const char* name : {"pin",
                           "PIN1",
                           "pincode",
                           "otp",
                           "otp_code",
                           "tan",
                           "mTAN",
                           "code",
                           "sms-code",
                           "verificationCode",
                           "cvv",
                           "cvc2",
                           "cc_number",
                           "cardNumber",
                           "credit_card",
                           "iban",
                           "IBAN",
                           "ssn",
                           "social_security",
                           "security_answer",
                           "api_key",
                           "token",
                           "csrf_token",
                           "secret",
                           "2fa",
                           "mfa_code",
                           "totp"}) {
    EXPECT_TRUE(is_secret_field_name(name)) << name;
  }
}

TEST(SecretFieldName, OrdinaryFieldsAreNotSecret) {
  for (const char* name : {"username", "user", "email", "e-mail", "department", "first_name",
                           "lastName", "phone", "company", "city", "country", "remember", "login",
                           "address", "shipping", "opinion", "topic", "distance"}) {
    EXPECT_FALSE(is_secret_field_name(name)) << name;
  }
}

TEST(SecretFieldsInHtml, TypeAndAutocompleteMarkSecrets) {
  const auto names = secret_fields_in_html(
      "<form><input name=user autocomplete=username><input type=PASSWORD name=a>"
      "<input name=b autocomplete=\"section-x current-password\">"
      "<input name=c autocomplete=new-password><input name=d autocomplete=ONE-TIME-CODE>"
      "<input name=e autocomplete=\"billing cc-number\"><select name=f autocomplete=cc-exp-month>"
      "</select><textarea name=g autocomplete=cc-csc></textarea><input type=text name=h>"
      "<template><input type=password name=i></template>"
      "<svg><input type=password name=not_html></svg></form>");
  EXPECT_EQ(names, (std::set<std::string>{"a", "b", "c", "d", "e", "f", "g", "i"}));
}

TEST(SecretFieldsInHtml, SeesWhatABrowserWithScriptsSees) {
  const auto names = secret_fields_in_html(
      "<noscript><p title=\"</noscript><input type=password name=hidden_pw>\"></p></noscript>");
  EXPECT_EQ(names, (std::set<std::string>{"hidden_pw"}));
}

}  // namespace
}  // namespace phishdrill
