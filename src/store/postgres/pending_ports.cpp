// The one port the PostgreSQL adapter does not implement yet: templates,
// landing pages and sending profiles (TemplatesRepository), which wait for
// their split into three ports and for relay-password sealing to leave the
// adapter (issue #12). Every method throws, and the store answers kInternal
// "templates: not implemented on PostgreSQL yet"; the conformance suite skips
// the templates tests on PostgreSQL until then.
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

void not_implemented_yet(const char* port) {
  throw Failure("0A000", std::string(port) + ": not implemented on PostgreSQL yet");
}

// Templates: not implemented on PostgreSQL yet.
Result<EmailTemplate> PgTemplates::create_template(std::int64_t, const EmailTemplate&) {
  not_implemented_yet("templates");
}
std::optional<EmailTemplate> PgTemplates::find_template(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<EmailTemplate> PgTemplates::list_templates(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_template(std::int64_t, const EmailTemplate&) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_template(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
Result<LandingPage> PgTemplates::create_page(std::int64_t, const LandingPage&) {
  not_implemented_yet("templates");
}
std::optional<LandingPage> PgTemplates::find_page(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<LandingPage> PgTemplates::list_pages(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_page(std::int64_t, const LandingPage&) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_page(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
Result<SendingProfile> PgTemplates::create_profile(std::int64_t, const SendingProfile&) {
  not_implemented_yet("templates");
}
std::optional<SendingProfile> PgTemplates::find_profile(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<SendingProfile> PgTemplates::list_profiles(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_profile(std::int64_t, const SendingProfile&, bool) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_profile(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
std::optional<std::string> PgTemplates::find_profile_secret(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}

}  // namespace phishdrill::pg
