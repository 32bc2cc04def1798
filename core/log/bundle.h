// Offline checks of what the audit log serves (docs/audit-log.md): signed
// tree heads, consistency between heads, and audit bundles. Pure: an auditor
// runs these on its own machine with only the bundle and its trusted CA.
#ifndef BIDOPEN_CORE_LOG_BUNDLE_H_
#define BIDOPEN_CORE_LOG_BUNDLE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/events.pb.h"
#include "core/log/checkpoint.h"

namespace bidopen::log {

inline constexpr char kBundleFormat[] = "bidopen-audit-bundle/1";

// The log certificate was issued by `trusted_ca_pem`, it signed the
// checkpoint, and the checkpoint says the same size and root as the fields.
absl::StatusOr<Checkpoint> VerifyHead(const v1::SignedTreeHead& head,
                                      absl::string_view trusted_ca_pem);

// `newer` extends `older` (both already verified): equal roots at equal
// sizes, or a valid consistency proof. DATA_LOSS "history was rewritten" if not.
absl::Status CheckExtends(const v1::SignedTreeHead& older, const v1::SignedTreeHead& newer,
                          const std::vector<Hash>& proof);

struct VerifiedBundle {
  Checkpoint head;
  std::vector<v1::Event> events;  // in seq order
};

// Checks the head, every entry against it (bytes parse with their own seq and
// lead to the signed root), completeness (a tender's events chain through
// tender_prev; a bundle without a tender holds every event of the head), that
// times never go back (event after event, no event after the head, the head
// not before the previous one) and, when present, that the head extends the
// previous one. The first failure names the event index.
absl::StatusOr<VerifiedBundle> VerifyBundle(const v1::AuditBundle& bundle,
                                            absl::string_view trusted_ca_pem);

std::vector<Hash> PathOf(const google::protobuf::RepeatedPtrField<std::string>& path);

}  // namespace bidopen::log

#endif  // BIDOPEN_CORE_LOG_BUNDLE_H_
