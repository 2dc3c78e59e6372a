// A simulation from the library: an email (with its landing page and
// harmless attachments where it has them) written for the library, the
// lessons it teaches (red flags), the NIST Phish Scale cues its author
// confirms and the author's suggested premise answers. Loaded from
// content/simulations/<slug>/ (library/simulation_loader.h; the format is
// content/simulations/README.md). Texts use the message template language
// plus two library variables, {{.OrgName}} and {{.OrgDomain}}, replaced when
// an organisation copies the simulation into its workspace, and
// {{.QRCode}} (qr-code simulations), the person's link as a QR code image.
// Plain data.
#pragma once

#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/phish_scale.h"

namespace phishdrill {

struct SimulationCue {
  std::string type;   // a Phish Scale cue type (library/library_vocabulary.h)
  std::string where;  // where the message shows it
  bool operator==(const SimulationCue&) const = default;
};

struct SimulationLanding {
  std::string title;
  std::string capture = "none";  // "none" or "fields"
  std::string html;              // "" when the simulation has no landing page
  bool operator==(const SimulationLanding&) const = default;
};

struct SimulationAttachment {
  std::string name;          // as the person sees it
  std::string content_type;  // "text/html"
  std::string content;       // the file's text (the template language)
  bool operator==(const SimulationAttachment&) const = default;
};

struct Simulation {
  std::string slug;
  std::string title;
  std::string summary;
  std::string category;
  std::string channel;   // "email", "qr-code", "attachment" or "callback"
  std::string language;  // "en", "es"
  int version = 1;
  std::vector<std::string> tags;
  std::string audience;
  std::string from_name;
  std::string from_address;
  std::string subject;
  std::string html;
  std::string text;
  SimulationLanding landing;
  std::vector<SimulationAttachment> attachments;
  std::vector<RedFlag> red_flags;
  std::vector<SimulationCue> cues;
  PremiseRatings premise;  // the author's suggested answers
  bool operator==(const Simulation&) const = default;
};

}  // namespace phishdrill
