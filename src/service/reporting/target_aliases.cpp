#include "service/reporting/target_aliases.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/email_address.h"
#include "service/audit.h"

namespace phishdrill::service {
namespace {

constexpr std::size_t kMaxAliases = 20;

Result<std::vector<std::string>> normalised(const std::vector<std::string>& aliases) {
  if (aliases.size() > kMaxAliases) {
    return fail(ErrorCode::kValidation, "a person has at most 20 other addresses", "aliases");
  }
  std::vector<std::string> out;
  for (const auto& alias : aliases) {
    std::string address = normalize_email(alias);
    if (!is_valid_email(address)) {
      return fail(ErrorCode::kValidation, "every alias must be a valid email address", "aliases");
    }
    out.push_back(std::move(address));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<std::vector<std::string>> target_aliases(Store& store, std::int64_t workspace_id,
                                                std::int64_t target_id) {
  std::vector<std::string> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    if (!repos.reporters.has_target(workspace_id, target_id)) return not_found();
    out = repos.reporters.aliases(workspace_id, target_id);
    return {};
  }));
  return out;
}

Result<std::vector<std::string>> replace_target_aliases(Store& store, const Caller& caller,
                                                        std::int64_t now, std::int64_t target_id,
                                                        const std::vector<std::string>& aliases) {
  std::vector<std::string> wanted = PD_TRY(normalised(aliases));
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    // The person's own address is theirs already.
    const auto current = repos.reporters.aliases(caller.workspace_id, target_id);
    std::erase_if(wanted, [&](const std::string& address) {
      return std::ranges::find(current, address) == current.end() &&
             repos.reporters.target_with_address(caller.workspace_id, address) == target_id;
    });
    PD_TRY(repos.reporters.replace_aliases(caller.workspace_id, target_id, wanted));
    boost::json::array listed;
    for (const auto& a : wanted) listed.emplace_back(a);
    audit(repos, caller, now, "target.aliases", "target", target_id, {{"aliases", listed}});
    return {};
  }));
  return wanted;
}

}  // namespace phishdrill::service
