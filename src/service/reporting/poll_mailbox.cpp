#include "service/reporting/poll_mailbox.h"

#include <span>
#include <vector>

#include "crypto/sodium.h"
#include "mail/imap_mailbox.h"
#include "service/reporting/ingest_report.h"
#include "service/reporting/mailbox_connection.h"

namespace phishdrill::service {
namespace {

constexpr const char* kDoneKeyword = "$PhishdrillDone";
constexpr int kMaxRoundsPerTick = 50;
// Messages marked on the server in one command (and between saved positions).
constexpr std::size_t kMarkTogether = 50;

// A message too large to read is still a report: refused, with the reason.
PreparedReport oversized(std::size_t max_bytes) {
  PreparedReport prepared;
  prepared.refusals.push_back("the message is larger than " + std::to_string(max_bytes >> 20) +
                              " MiB, so it was not read");
  return prepared;
}

// Marks taken-in messages in one command, as the mailbox says.
Result<void> after_processing(ImapMailbox& imap, const ReportingMailbox& mailbox,
                              std::span<const std::uint32_t> uids) {
  if (uids.empty()) return {};
  if (mailbox.after == "move") return imap.move(uids, mailbox.done_folder);
  if (mailbox.after == "delete") return imap.remove(uids);
  return imap.add_flags(uids, std::string(kDoneKeyword) + " \\Seen");
}

class Poll {
 public:
  Poll(Store& store, const SecretKey& key, const Clock& clock, const MailboxPoll& poll,
       const MailboxPollSettings& settings)
      : store_(store), key_(key), clock_(clock), poll_(poll), settings_(settings) {}

  MailboxPollOutcome run() {
    MailboxPollOutcome outcome;
    auto imap = open_mailbox(poll_.mailbox, poll_.secret_sealed, key_, settings_);
    if (!imap) {
      outcome.error = imap.error().message;
      return outcome;
    }
    std::uint32_t last = imap->uid_validity() == poll_.uid_validity ? poll_.last_uid : 0;
    auto uids = imap->uids_after(last, settings_.batch);
    if (!uids) {
      outcome.error = uids.error().message;
      return outcome;
    }
    // Marked on the server in groups, then the position saved: a poll that
    // dies in between leaves them done but unmarked, and the next poll,
    // starting from the saved position, only marks them.
    std::vector<std::uint32_t> to_mark;
    const auto mark = [&]() -> Result<void> {
      PD_TRY(after_processing(*imap, poll_.mailbox, to_mark));
      to_mark.clear();
      save_position(imap->uid_validity(), last);
      return {};
    };
    for (const std::uint32_t uid : *uids) {
      auto taken = take_in(*imap, uid);
      if (!taken) {
        outcome.error = taken.error().message;
        break;
      }
      ++outcome.seen;
      outcome.taken_in += taken->fresh ? 1 : 0;
      if (taken->mark) to_mark.push_back(uid);
      last = uid;
      if (to_mark.size() >= kMarkTogether) {
        if (auto marked = mark(); !marked) {
          outcome.error = marked.error().message;
          return outcome;
        }
      }
      if (!renew()) break;
    }
    if (auto marked = mark(); !marked && outcome.error.empty()) {
      outcome.error = marked.error().message;
    }
    return outcome;
  }

 private:
  struct Taken {
    bool fresh = false;  // it became a report now (not only marked)
    bool mark = true;    // to be marked on the server (not: refused unread, kept as it is)
  };

  Result<Taken> take_in(ImapMailbox& imap, std::uint32_t uid) {
    const std::uint64_t validity = imap.uid_validity();
    const std::int64_t mailbox_id = poll_.mailbox.id;
    Taken taken;
    PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
      taken.fresh = repos.mailboxes.begin_message(mailbox_id, validity, uid, clock_.now());
      return {};
    }));
    // A message refused unread is kept on the server, whatever the mailbox says.
    if (taken.fresh) taken.mark = PD_TRY(record(imap, validity, uid));
    return taken;
  }

  // False when the message was too large to read (recorded as refused).
  Result<bool> record(ImapMailbox& imap, std::uint64_t validity, std::uint32_t uid) {
    auto raw = imap.fetch(uid, settings_.max_message_bytes);
    if (!raw && raw.error().code != ErrorCode::kPayloadTooLarge) {
      return std::unexpected(raw.error());
    }
    const PreparedReport prepared =
        raw ? prepare_report(*std::move(raw)) : oversized(settings_.max_message_bytes);
    ReportOrigin origin;
    origin.mailbox_id = poll_.mailbox.id;
    PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
      const auto ingested = PD_TRY(record_report(repos, key_, poll_.mailbox.workspace_id, prepared,
                                                 origin, settings_.rid_parameter, clock_.now()));
      const std::int64_t report_id = ingested.report_ids.empty() ? 0 : ingested.report_ids.front();
      repos.mailboxes.finish_message(poll_.mailbox.id, validity, uid, report_id, ingested.outcome);
      return {};
    }));
    return raw.has_value();
  }

  // Best effort: a position not saved only makes the next poll look at
  // messages already done, which their keys skip.
  void save_position(std::uint64_t validity, std::uint32_t last) {
    (void)store_.write([&](Repositories& repos) -> Result<void> {
      repos.mailboxes.save_position(poll_.mailbox.id, validity, last);
      return {};
    });
  }

  // A store that cannot be reached ends the poll like a lost lease.
  bool renew() {
    bool held = false;
    (void)store_.write([&](Repositories& repos) -> Result<void> {
      held = repos.mailboxes.renew_poll(poll_.mailbox.id, clock_.now() + settings_.lease_seconds);
      return {};
    });
    return held;
  }

  Store& store_;
  const SecretKey& key_;
  const Clock& clock_;
  const MailboxPoll& poll_;
  const MailboxPollSettings& settings_;
};

}  // namespace

MailboxPollOutcome poll_mailbox(Store& store, const SecretKey& key, const Clock& clock,
                                const MailboxPoll& poll, const MailboxPollSettings& settings) {
  MailboxPollOutcome outcome = Poll(store, key, clock, poll, settings).run();
  const std::int64_t now = clock.now();
  // A full batch means more is waiting: the next poll is due at once.
  const std::int64_t next =
      outcome.error.empty() && static_cast<std::size_t>(outcome.seen) >= settings.batch
          ? now
          : now + poll.mailbox.poll_seconds;
  // If this fails the lease runs out and the mailbox is polled again then.
  (void)store.write([&](Repositories& repos) -> Result<void> {
    repos.mailboxes.finish_poll(poll.mailbox.id, now, next, outcome.error);
    return {};
  });
  return outcome;
}

int poll_due_mailboxes(Store& store, const SecretKey& key, const Clock& clock,
                       const MailboxPollSettings& settings) {
  int polled = 0;
  // A full batch leaves its mailbox due at once: claim again rather than wait
  // for the next tick (bounded, so one tick cannot run forever).
  for (int round = 0; round < kMaxRoundsPerTick; ++round) {
    std::vector<MailboxPoll> due;
    const std::int64_t now = clock.now();
    auto claimed = store.write([&](Repositories& repos) -> Result<void> {
      due = repos.mailboxes.claim_polls(now, now + settings.lease_seconds, 4);
      return {};
    });
    if (!claimed || due.empty()) break;
    bool more = false;
    for (const auto& poll : due) {
      // Each poll's outcome is saved on its mailbox for the admin.
      const MailboxPollOutcome outcome = poll_mailbox(store, key, clock, poll, settings);
      more = more ||
             (outcome.error.empty() && static_cast<std::size_t>(outcome.seen) >= settings.batch);
    }
    polled += static_cast<int>(due.size());
    if (!more) break;
  }
  return polled;
}

}  // namespace phishdrill::service
