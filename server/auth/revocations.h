// The revoked certificates in memory, so that checking one costs no query per
// call: loaded at start-up, added to when this server appends a revocation,
// and re-read from the query table every housekeeping round (--head-interval)
// for revocations another replica appended.
#ifndef BIDOPEN_SERVER_AUTH_REVOCATIONS_H_
#define BIDOPEN_SERVER_AUTH_REVOCATIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "core/opening/state.h"

namespace bidopen::auth {

class RevocationList {
 public:
  // UNAUTHENTICATED (core RevokedError: when, by whom, why) if revoked.
  absl::Status Check(const std::string& fingerprint) const;
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
