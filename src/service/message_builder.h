// MessageBuilder: renders one recipient's message from the campaign variant
// (the template snapshot taken at launch) and the sending profile: GoPhish
// variables filled with the recipient's snapshot, links carrying its rid,
// From from the template or else the profile, the profile's then the
// template's custom headers, and the Message-ID fixed at launch. Compiled
// templates are cached per variant. Not thread-safe: one per worker.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/message_template.h"
#include "core/recipient.h"
#include "core/sending_profile.h"
#include "mail/outgoing_message.h"
#include "store/campaigns_repository.h"

namespace phishdrill::service {

// Where tracking links point; the parameter name and paths are configurable
// because "rid" is a known fingerprint.
struct LinkStyle {
  std::string rid_parameter = "rid";
  std::string track_path = "/track";
  // A hidden link added to every HTML message: people never see it, link
  // scanners follow it, which marks that message's nearby hits automated.
  std::string decoy_path = "/r";
};

class MessageBuilder {
 public:
  explicit MessageBuilder(LinkStyle links = {}) : links_(std::move(links)) {}

  Result<OutgoingMessage> build(const Recipient& recipient, const CampaignVariant& variant,
                                const SendingProfile& profile, const std::string& base_url);

  // The values a template sees for this recipient.
  TemplateContext context_for(const Recipient& recipient, const std::string& from,
                              const std::string& base_url) const;

 private:
  struct Compiled {
    CompiledTemplate subject;
    CompiledTemplate html;
    CompiledTemplate text;
    std::vector<std::pair<std::string, CompiledTemplate>> headers;
    bool qr_code = false;  // the HTML shows {{.QRCode}}: each message gets its image
    // Per attachment, its template when it is one (is_template_attachment).
    std::vector<std::optional<CompiledTemplate>> attachments;
  };
  Result<const Compiled*> compiled(const CampaignVariant& variant);

  LinkStyle links_;
  std::map<std::int64_t, Compiled> cache_;
};

}  // namespace phishdrill::service
