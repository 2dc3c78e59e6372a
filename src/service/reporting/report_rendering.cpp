#include "service/reporting/report_rendering.h"

#include "core/html_escape.h"
#include "crypto/sodium.h"
#include "mail/html_links.h"
#include "mail/html_sanitizer.h"
#include "service/reporting/ingest_report.h"

namespace phishdrill::service {

Result<std::string> render_reported_message(Store& store, const SecretKey& key,
                                            const Caller& caller, std::int64_t id) {
  std::optional<std::string> sealed;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    sealed = repos.reports.original(caller.workspace_id, id);
    if (!sealed) return not_found();
    return {};
  }));
  auto raw = crypto::open(key, *sealed);
  if (!raw) {
    return fail(ErrorCode::kInternal,
                "the original cannot be opened with this installation's secret key");
  }
  const PreparedReport prepared = prepare_report(*std::move(raw));
  if (prepared.messages.empty()) {
    return "<!doctype html><meta charset=\"utf-8\"><p>Nothing in this report could be read.</p>";
  }
  const ReportedMessage& message = prepared.messages.front();
  const auto as_text = [](std::string_view text) {
    return "<!doctype html><meta charset=\"utf-8\"><pre style=\"white-space:pre-wrap\">" +
           html_escape(text) + "</pre>";
  };
  if (message.html.empty()) return as_text(message.text);
  auto safe = neutralise_remote_content(strip_active_content(message.html).html);
  return safe ? *std::move(safe) : as_text(message.text);
}

}  // namespace phishdrill::service
