#include "server/auth/revocations.h"

#include "core/opening/revocation_rules.h"

namespace bidopen::auth {

absl::Status RevocationList::Check(const std::string& fingerprint) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = revoked_.find(fingerprint);
  return it == revoked_.end() ? absl::OkStatus() : RevokedError(it->second);
}

std::optional<v1::Revocation> RevocationList::Find(const std::string& fingerprint) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = revoked_.find(fingerprint);
  if (it == revoked_.end()) return std::nullopt;
  return it->second;
}

Revocations RevocationList::Snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  return revoked_;
}

void RevocationList::Add(const v1::Revocation& r) {
  absl::MutexLock lock(&mu_);
  revoked_[r.fingerprint()] = r;
}

void RevocationList::Merge(const Revocations& all) {
  absl::MutexLock lock(&mu_);
  for (const auto& [fingerprint, r] : all) revoked_.try_emplace(fingerprint, r);
}

}  // namespace bidopen::auth
