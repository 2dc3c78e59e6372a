// Previewing an email template: its subject and bodies rendered for one
// person, as a recipient would get them, with a fresh rid (from the token
// source) in the links under the phish server's base URL. Nothing is stored
// and nothing is sent. Contract: a saved template that is not the caller's
// is kNotFound; a template that does not compile is kValidation naming the
// part. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/error.h"
#include "core/token_source.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

// Who the preview is written for: a sample person unless the editor names one.
struct PreviewPerson {
  std::string first_name = "Alex";
  std::string last_name = "Morgan";
  std::string email = "alex.morgan@example.com";
  std::string position = "Pharmacy Technician";
};

struct RenderedAttachment {
  std::string name;
  std::string html;  // filled for the person, as the file they would open
};

struct RenderedPreview {
  std::string subject;
  std::string html;
  std::string text;
  std::string from;
  std::vector<RenderedAttachment> attachments;  // the HTML (template) attachments only
};

class PreviewTemplate {
 public:
  // `phish_base_url` e.g. "https://phish.example.com".
  PreviewTemplate(Store& store, const TokenSource& tokens, std::string phish_base_url)
      : store_(store), tokens_(tokens), base_url_(std::move(phish_base_url)) {}

  // The caller's saved template `id`.
  Result<RenderedPreview> saved(const Caller& caller, std::int64_t id, const PreviewPerson& person);
  // Unsaved work (already validated).
  Result<RenderedPreview> draft(const EmailTemplate& t, const PreviewPerson& person) const;

 private:
  Store& store_;
  const TokenSource& tokens_;
  std::string base_url_;
};

}  // namespace phishdrill::service
