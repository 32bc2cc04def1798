// Audit bundles as bidctl fetches and checks them (docs/audit-log.md): `audit
// fetch`, `audit verify`, `audit replay` and `audit check-bid` share these, so
// every command that trusts the log checks it the same way.
#ifndef BIDOPEN_CLIENT_AUDIT_BUNDLE_H_
#define BIDOPEN_CLIENT_AUDIT_BUNDLE_H_

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "client/audit_opening.h"
#include "client/command.h"
#include "core/log/bundle.h"

namespace bidopen::client {

// Tender `tender_id`'s events (every event if empty) with inclusion proofs
// against the server's current signed head, verified with the session's CA
// and linked to the head this user saw last. NOT_FOUND before the proofs are
// fetched if `lot` (0: any) is not a lot of the tender.
absl::StatusOr<v1::AuditBundle> FetchBundle(const Session& s, const std::string& tender_id,
                                            int lot);

// A bundle saved by `audit fetch`; INVALID_ARGUMENT if it does not parse.
absl::StatusOr<v1::AuditBundle> ReadBundle(const std::string& path);

// OK unless the event at `seq`, timed `time`, was appended after `seen` (seq
// at or past its size) yet is timed before it was signed — by more than the
// clock step replicas may differ by (core/event_clock.h): backdated.
// DATA_LOSS naming both.
absl::Status NotBackdated(uint64_t seq, const google::protobuf::Timestamp& time,
                          const v1::SignedTreeHead& seen);

// Verifies the bundle against the trusted CA (--ca or the profile's; else the
// bundle's own, with a warning) and that its head extends the head this
// auditor saw last, which it then remembers; no event after that head may be
// timed before it (NotBackdated).
absl::StatusOr<log::VerifiedBundle> VerifyAndRemember(const Globals& g, const v1::AuditBundle& b);

struct AuditedBundle {
  log::VerifiedBundle verified;
  OpeningAudit opening;
};

// VerifyAndRemember, then AuditOpenings with the same CA and the head's log
// certificate: what `audit verify` checks.
absl::StatusOr<AuditedBundle> VerifyAndAudit(const Globals& g, const v1::AuditBundle& b);

// Keeps only lot `number` of a replayed tender (0: all lots); NOT_FOUND if
// it has none.
absl::Status OnlyLot(int number, v1::Tender* t);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_AUDIT_BUNDLE_H_
