// The revoked certificates in memory, so that checking one costs no query per
// call: folded from the log's certificate_revoked events at start-up (not
// from the query table, whose rows the application role could delete), added
// to when this server appends a revocation, and every housekeeping round
// (--head-interval) from the events another replica appended since.
#ifndef BIDOPEN_SERVER_AUTH_REVOCATIONS_H_
#define BIDOPEN_SERVER_AUTH_REVOCATIONS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "core/opening/state.h"

namespace bidopen::auth {

class RevocationList {
 public:
  // UNAUTHENTICATED (core RevokedError: when, by whom, why) if revoked.
  absl::Status Check(const std::string& fingerprint) const;
  // The revocation of `fingerprint`, if any.
  std::optional<v1::Revocation> Find(const std::string& fingerprint) const;
  // Every revocation known now.
  Revocations Snapshot() const;
  void Add(const v1::Revocation& r);
  // The table's rows as read: revocations are never undone, so this keeps
  // any added since the read began.
  void Merge(const Revocations& all);

 private:
  mutable absl::Mutex mu_;
  Revocations revoked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_REVOCATIONS_H_
