// Revoking a client certificate (docs/operations.md, "Revoking a
// certificate"): the platform operator's decision, the fold's check of it, and
// the refusal every later call with the certificate gets.
#ifndef BIDOPEN_CORE_OPENING_REVOCATION_RULES_H_
#define BIDOPEN_CORE_OPENING_REVOCATION_RULES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/identity.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"

namespace bidopen {

// A fingerprint is required and of its documented form (core/ids.h);
// INVALID_ARGUMENT naming `field`, quoting a bounded part of the value, otherwise.
absl::Status CheckFingerprint(absl::string_view field, absl::string_view value);

// The CertificateRevoked draft for `req` by `actor`. INVALID_ARGUMENT naming
// the field for a malformed fingerprint or an empty or too long reason;
// PERMISSION_DENIED unless the actor is an operator; FAILED_PRECONDITION for
// the actor's own certificate (another operator revokes it, so an operator
// cannot lock every operator out by mistake); ALREADY_EXISTS saying when, by
// whom and why if `existing` (the fingerprint's revocation so far) is set.
absl::StatusOr<v1::Event> DecideRevocation(const v1::RevokeCertificateRequest& req,
                                           const v1::Party& actor, const v1::Revocation* existing);

// UNAUTHENTICATED: the certificate was revoked, when, by whom and why.
absl::Status RevokedError(const v1::Revocation& r);

// FAILED_PRECONDITION naming lots[i].custodians[j] if a lot names a custodian
// whose certificate was revoked: bidders would wrap shares to its keys.
absl::Status CheckCustodiansNotRevoked(const v1::CreateTenderRequest& req,
                                       const Revocations& revoked);

// Review 4 R7: whether the revocation `r` of a bidder's certificate excuses
// the bidder's missing release in `lot`: the operator revoked it after the
// lot's deadline (the bid was in and sealed) and before its opening started
// (so before any release could be made or any value read), and no release of
// the bidder was accepted before it (`accepted_release_seq`, 0: none). A
// revocation during the window does not excuse (review 6 T2: revoked after
// the others' values were read, it would be a free exit, 视为撤回, for a
// bidder that held its release back; it also cannot race the verdicts, T4).
bool RevokedBeforeRelease(const v1::Revocation& r, const fold::Lot& lot,
                          uint64_t accepted_release_seq);

// The verdict's words for it: by whom, when (in `zone`), log #seq, why.
std::string RevocationText(const v1::Revocation& r, absl::TimeZone zone);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_REVOCATION_RULES_H_
