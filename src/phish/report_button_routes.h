// The report button on the phish server, per workspace, under
// /addin/{token}/ (service/reporting/report_button.h):
//   GET  manifest.xml   the Outlook add-in manifest, rendered for this
//                       workspace (base URL, token, stable id; XML-escaped)
//   GET  {file}         the task pane's files (a fixed list, no paths)
//   POST report         the reported message's full MIME (message/rfc822,
//                       up to `max_message_bytes`) with X-Phishdrill-Reporter;
//                       answers {"outcome", "message"} once the report is
//                       recorded (service/reporting/ingest_report.h)
// An unknown or forged token gets the same plain 404 as an unknown path.
// Thread-safe (the content is read-only once built).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/clock.h"
#include "core/secret_key.h"
#include "net/router.h"
#include "store/store.h"

namespace phishdrill::phish {

struct AddinFile {
  std::string content_type;
  std::string bytes;
};

// The add-in's content as shipped (content/addin/): the manifest template
// with {{BASE}}, {{TOKEN}}, {{ID}} and {{NAME}}, and the task pane's files.
struct AddinContent {
  std::string manifest_template;
  std::map<std::string, AddinFile> files;  // by file name
};

struct ReportButtonContext {
  Store& store;
  const Clock& clock;
  SecretKey key;
  std::string base_url;  // the phish server's public base URL
  std::string rid_parameter = "rid";
  std::size_t max_message_bytes = 32u << 20;
  AddinContent content;
};

void add_report_button_routes(net::Router& router, ReportButtonContext& context);

// The manifest for one workspace (also used by the admin API to show it).
std::string render_addin_manifest(const ReportButtonContext& context, std::int64_t workspace_id);

}  // namespace phishdrill::phish
