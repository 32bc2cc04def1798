// Releaser-signed releases (docs/protocol.md "Releasing"): a bidder or
// custodian signs what it releases -- tender, lot, kind, bid or share, the
// material's labelled hash and the signed tree head it saw just before
// sending -- with its certificate's key, so that a KeyReleased the releaser
// did not send cannot be made to verify, accepted or failed. The fold checks
// the shape (core/opening/fold_opening.cc); `audit verify` checks the
// signatures with the CA and the log certificate (CheckReleaseSignature).
#ifndef BIDOPEN_CORE_OPENING_RELEASE_SIGNATURE_H_
#define BIDOPEN_CORE_OPENING_RELEASE_SIGNATURE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/events.pb.h"
#include "core/log/checkpoint.h"

namespace bidopen {

inline constexpr absl::string_view kReleaseLabel = "bidopen/v2/release";

// LP("bidopen/v2/release") || LP(tender_id) || u32(lot) || u32(kind) ||
// u64(bid) || u32(share_x) || LP(material_sha256) || LP(seen_checkpoint),
// from the event's fields (u32/u64 big-endian, LP = u32 length || bytes; bid
// is 0 for a custodian, share_x 0 for a bidder).
std::string ReleaseSigningInput(absl::string_view tender_id, const v1::KeyReleased& k);

// The cited head's checkpoint, parsed; DATA_LOSS (naming `what`) if it has
// none or it does not parse.
absl::StatusOr<log::Checkpoint> CitedHead(const v1::KeyReleased& k);

// What `audit verify` checks of a KeyReleased event: the certificate was
// issued by `ca_pem` and valid at the event's time (when it signed, not now:
// reveals and receipts are checked the same way), names the event's actor
// (fingerprint), its key
// signed ReleaseSigningInput, and the log key of `log_cert_pem` signed the
// cited checkpoint. DATA_LOSS saying which failed otherwise.
absl::Status CheckReleaseSignature(const v1::Event& e, absl::string_view ca_pem,
                                   absl::string_view log_cert_pem);

// The server's check of a release request, before anything else: `signature`
// is `caller_cert_pem`'s key's over ReleaseSigningInput(tender_id, k).
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckCallerReleaseSignature(absl::string_view caller_cert_pem,
                                         absl::string_view tender_id, const v1::KeyReleased& k,
                                         absl::string_view signature, absl::string_view field);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_RELEASE_SIGNATURE_H_
