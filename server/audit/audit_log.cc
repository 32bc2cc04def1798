#include "server/audit/audit_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"
#include "server/audit/integrity.h"
#include "server/store/merkle_store.h"
#include "server/store/tx.h"

namespace bidopen::audit {

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(store::Pool& pool, HeadSigner signer,
                                                         const Clock& clock,
                                                         absl::Duration max_clock_step) {
  std::unique_ptr<AuditLog> log(new AuditLog(pool, std::move(signer), clock, max_clock_step));
  absl::Status st;
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool.Acquire());
    st = log->Load(*conn);
  }
  if (absl::IsDataLoss(st)) {
    log->integrity_ = absl::DataLossError(
        absl::StrCat("the event log failed its integrity check at start-up: ", st.message(),
                     "; writes are refused until the log is restored from a trusted copy"));
    return log;
  }
  BO_RETURN_IF_ERROR(st);
  BO_RETURN_IF_ERROR(log->Head().status());
  return log;
}

absl::Status AuditLog::Load(store::Conn& conn) {
  BO_ASSIGN_OR_RETURN(store::Result head, conn.Query("SELECT size FROM log_head"));
  const uint64_t log_size = static_cast<uint64_t>(head.Int64(0, 0));
  BO_ASSIGN_OR_RETURN(std::vector<log::Hash> leaves, store::LoadLeafHashes(conn));
  BO_ASSIGN_OR_RETURN(auto latest, store::LatestTreeHead(conn));
  for (const log::Hash& leaf : leaves) tree_.Append(leaf, nullptr);
  tree_.Commit();
  std::vector<log::Hash> backfill;
  BO_RETURN_IF_ERROR(CheckEvents(conn, log_size, leaves, latest ? latest->size() : 0, &backfill));
  if (latest) {
    BO_RETURN_IF_ERROR(CheckHead(tree_, *latest, signer_.cert_pem()));
    latest->set_log_certificate_pem(signer_.cert_pem());
    absl::MutexLock lock(&mu_);
    latest_ = *latest;
  }
  return Backfill(conn, backfill);
}

// Leaves of events logged before the audit log existed (never attested).
absl::Status AuditLog::Backfill(store::Conn& conn, const std::vector<log::Hash>& leaves) {
  if (leaves.empty()) return absl::OkStatus();
  std::vector<log::NodeRef> nodes;
  for (const log::Hash& leaf : leaves) tree_.Append(leaf, &nodes);
  store::Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_RETURN_IF_ERROR(store::InsertNodes(conn, nodes));
  BO_RETURN_IF_ERROR(tx.Commit());
  tree_.Commit();
  return absl::OkStatus();
}

absl::StatusOr<v1::SignedTreeHead> AuditLog::Head() {
  absl::MutexLock lock(&mu_);
  const uint64_t size = tree_.committed_size();
  if (latest_ && (latest_->size() == size || !integrity_.ok())) return *latest_;
  if (!integrity_.ok()) return integrity_;
  return SignLocked(size);
}

absl::StatusOr<v1::SignedTreeHead> AuditLog::SignedNow(absl::Time now) {
  absl::MutexLock commit(&commit_mu_);
  const uint64_t size = tree_.committed_size();
  absl::MutexLock lock(&now_mu_);
  if (now_ && now_->size() == size) {
    const absl::Duration age = now - FromProto(now_->time());
    if (age >= absl::ZeroDuration() && age < kNowReuse) return *now_;
  }
  BO_ASSIGN_OR_RETURN(v1::SignedTreeHead head, signer_.Sign(size, tree_.RootAt(size), now));
  now_ = head;
  return head;
}

absl::StatusOr<v1::SignedTreeHead> AuditLog::SignLocked(uint64_t size) {
  // The connection first: callers waiting for commit_mu_ may hold the pool's.
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  absl::MutexLock commit(&commit_mu_);
  size = tree_.committed_size();
  log::Hash root = tree_.RootAt(size);
  if (latest_ && latest_->size() > 0) {  // never sign a head inconsistent with the last
    BO_ASSIGN_OR_RETURN(log::Hash old_root, log::HashFromBytes(latest_->root_hash()));
    BO_ASSIGN_OR_RETURN(auto proof, tree_.ConsistencyProof(latest_->size(), size));
    BO_RETURN_IF_ERROR(log::VerifyConsistency(latest_->size(), size, old_root, root, proof));
  }
  BO_ASSIGN_OR_RETURN(absl::Time time, HeadTime(*conn));
  BO_ASSIGN_OR_RETURN(v1::SignedTreeHead head, signer_.Sign(size, root, time));
  BO_RETURN_IF_ERROR(store::InsertTreeHead(*conn, head));
  latest_ = head;
  return head;
}

// Not before the last head, nor the last event (the log's newest: at least
// those the head covers), nor with a clock that was stepped.
absl::StatusOr<absl::Time> AuditLog::HeadTime(store::Conn& conn) {
  absl::Time last = latest_ ? FromProto(latest_->time()) : absl::InfinitePast();
  BO_ASSIGN_OR_RETURN(store::Result r, conn.Query("SELECT last_time_us FROM log_head"));
  if (!r.IsNull(0, 0)) last = std::max(last, absl::FromUnixMicros(r.Int64(0, 0)));
  return clock_.Next(last);
}

}  // namespace bidopen::audit
