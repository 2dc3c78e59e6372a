// What counts as a secret in a landing-page form. A field is secret when its
// name looks like one (a multilingual list of words for password, PIN,
// one-time code, card and account numbers, matched after case folding,
// removing accents and undoing leetspeak, plus short forms such as "p", "pw2",
// "mdp") or when the page's HTML says so (an <input type=password>, or an
// autocomplete token current-password, new-password, one-time-code or cc-*).
// Over-matching is safe (a harmless value is merely not kept); missing a
// secret is not. Uses gumbo for the HTML. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace phishdrill {

// True for field names that may carry a secret.
bool is_secret_field_name(std::string_view name);

// Names of the form fields (input, textarea, select, HTML namespace only)
// that the HTML marks as secret, by type or autocomplete, anywhere in the
// page (templates included).
std::set<std::string> secret_fields_in_html(std::string_view html);

}  // namespace phishdrill
