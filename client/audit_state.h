// The last signed tree head this auditor verified, per log key, kept under
// the config directory (audit/<log certificate fingerprint>.json), so a later
// head that does not extend it is reported as rewritten history.
#ifndef BIDOPEN_CLIENT_AUDIT_STATE_H_
#define BIDOPEN_CLIENT_AUDIT_STATE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"

namespace bidopen::client {

absl::StatusOr<std::optional<v1::SignedTreeHead>> RememberedHead(const std::string& log_cert_pem);

// Keeps `head` if it is larger than the remembered one (REQUIRES: verified,
// and consistent with the remembered head).
absl::Status RememberHead(const v1::SignedTreeHead& head);

std::string RememberedHeadPath(const std::string& log_cert_pem);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_AUDIT_STATE_H_
