// The last signed tree head this auditor verified, per log key, kept under
// the config directory (audit/<log certificate fingerprint>.json), so a later
// head that does not extend it is reported as rewritten history.
#ifndef BIDOPEN_CLIENT_AUDIT_STATE_H_
#define BIDOPEN_CLIENT_AUDIT_STATE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"

namespace bidopen::client {

absl::StatusOr<std::optional<v1::SignedTreeHead>> RememberedHead(const std::string& log_cert_pem);

// Keeps `head` if it is larger than the remembered one (REQUIRES: verified,
// and consistent with the remembered head).
absl::Status RememberHead(const v1::SignedTreeHead& head);

std::string RememberedHeadPath(const std::string& log_cert_pem);

// Neither kind of head below is kept when it is timed more than this ahead of
// this computer's clock (FAILED_PRECONDITION): review 9 W1.
inline constexpr absl::Duration kMaxHeadAhead = absl::Minutes(1);

// The latest-timed signed head this user cited in a release it signed
// (release_sign.h), per log key (audit/<fingerprint>.cited.json). A log that
// later shows an event appended past it but timed before it (beyond the
// replicas' slack) was backdated: an operator that held the release, read the
// values and asked for a re-signed one cannot slip a restoration, or under
// BOTH a bidder's release, in before it unseen (review 8 V4).
absl::StatusOr<std::optional<v1::SignedTreeHead>> CitedHead(const std::string& log_cert_pem);
absl::Status RememberCitedHead(const v1::SignedTreeHead& head);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_AUDIT_STATE_H_
