// The audit log of one bidopend: the in-memory Merkle tree, checked against
// the stored log at start-up, and the signed tree heads it publishes.
#ifndef BIDOPEN_SERVER_AUDIT_AUDIT_LOG_H_
#define BIDOPEN_SERVER_AUDIT_AUDIT_LOG_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bidopen/v1/audit.pb.h"
#include "core/clock.h"
#include "core/event_clock.h"
#include "server/audit/head_signer.h"
#include "server/store/merkle_tree.h"
#include "server/store/pool.h"

namespace bidopen::audit {

class AuditLog {
 public:
  // Loads the stored tree, checks every event against it and the last signed
  // head. A failed check does not fail Open: integrity() says why, and the
  // server then refuses writes but still serves the log to auditors.
  // A head's time is EventClock::Next of the later of the last head's and the
  // last event's: never before either, and no head while the clock is off.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      store::Pool& pool, HeadSigner signer, const Clock& clock,
      absl::Duration max_clock_step = EventClock::kDefaultMaxStep);

  store::MerkleTree& tree() { return tree_; }
  const absl::Status& integrity() const { return integrity_; }
  const HeadSigner& signer() const { return signer_; }

  // Signs and stores a new head if the committed tree grew since the last
  // one (never on a log that failed its check); returns the latest head.
  absl::StatusOr<v1::SignedTreeHead> Head();

  // A head of the committed tree signed at `now`, not stored: the signed
  // clock reading that GetOpening answers with. While the tree has not grown,
  // one signature serves every caller for kNowReuse, so clients polling a
  // countdown do not each cost a signature.
  absl::StatusOr<v1::SignedTreeHead> SignedNow(absl::Time now);
  static constexpr absl::Duration kNowReuse = absl::Milliseconds(200);

  // Held by the event log from choosing a batch's time until its commit (or
  // rollback), and here while a head is signed: so no event at or past a
  // signed head's size is timed before it (docs/protocol.md "Releasing").
  // Never wait for it holding a connection of the shared pool (Head signs
  // with one).
  absl::Mutex& commit_mu() { return commit_mu_; }

 private:
  AuditLog(store::Pool& pool, HeadSigner signer, const Clock& clock, absl::Duration max_step)
      : pool_(pool), signer_(std::move(signer)), clock_(clock, max_step) {}
  absl::Status Load(store::Conn& conn);
  absl::Status Backfill(store::Conn& conn, const std::vector<log::Hash>& leaves);
  absl::StatusOr<v1::SignedTreeHead> SignLocked(uint64_t size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<absl::Time> HeadTime(store::Conn& conn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  store::Pool& pool_;
  HeadSigner signer_;
  EventClock clock_;
  store::MerkleTree tree_;
  absl::Status integrity_;
  absl::Mutex mu_;
  std::optional<v1::SignedTreeHead> latest_ ABSL_GUARDED_BY(mu_);
  absl::Mutex commit_mu_;
  absl::Mutex now_mu_;
  std::optional<v1::SignedTreeHead> now_ ABSL_GUARDED_BY(now_mu_);
};

}  // namespace bidopen::audit

#endif  // BIDOPEN_SERVER_AUDIT_AUDIT_LOG_H_
