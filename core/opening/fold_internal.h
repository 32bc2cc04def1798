// Appliers of single event kinds, shared by fold.cc's dispatch. Each returns
// DATA_LOSS (via Corrupt) when the event cannot follow the state.
#ifndef BIDOPEN_CORE_OPENING_FOLD_INTERNAL_H_
#define BIDOPEN_CORE_OPENING_FOLD_INTERNAL_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/events.pb.h"
#include "core/opening/state.h"

namespace bidopen::fold_internal {

absl::Status Corrupt(const v1::Event& e, absl::string_view why);
v1::LogPosition PositionOf(const v1::Event& e);
absl::StatusOr<fold::Lot*> LotOf(const v1::Event& e, fold::Tender* t, int number);

absl::Status ApplyCreated(const v1::Event& e, fold::Tender* t);
absl::Status ApplyAmended(const v1::Event& e, fold::Tender* t);
absl::Status ApplyCancelled(const v1::Event& e, fold::Tender* t);

// The event's signed request (fold_signed.cc), once the event applied: it is
// what the request asks, by the signer, fresh and used once; in a tender
// created by a signed request, every person's action is signed.
absl::Status CheckSignedAction(const v1::Event& e, fold::Tender* t);

// Marks the per-lot keys a tender's creation assigned as used, checking each is
// its custodian's next unused one.
absl::Status UseLotKeys(const v1::Event& e, KeyRegistry* keys, Changes* changes);

// A certificate revoked by an operator, once.
absl::StatusOr<Changes> ApplyRevoked(const v1::Event& e, Revocations* revoked);

absl::Status ApplySubmitted(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyWithdrawn(const v1::Event& e, TenderState* s, Changes* changes);

// The opening (fold_opening.cc, fold_verdict.cc).
// The lot with its opening under way: started, not failed, not ended.
absl::StatusOr<fold::Lot*> DecryptingLot(const v1::Event& e, TenderState* s, int number);
// Verdicts are given together, with every release of the lot: nothing is
// released or decrypted between them.
absl::Status CheckNoVerdictYet(const v1::Event& e, const fold::Lot& lot, absl::string_view what);
// A bid of the lot revealed at its opening.
absl::StatusOr<fold::Bid*> RevealedBid(const v1::Event& e, TenderState* s, uint64_t seq,
                                       int number);
absl::Status ApplyOpeningStarted(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyBidRevealed(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyKeyReleased(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyBidDecrypted(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyBidVerdict(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyDecryptionEnded(const v1::Event& e, TenderState* s, Changes* changes);
// A bidder put back the sealed file the start found altered (fold_resupply.cc).
absl::Status ApplyBidFileRestored(const v1::Event& e, TenderState* s, Changes* changes);
// Review 4 R7 (fold_revocations.cc): with the whole log's revocations, a
// verdict may not blame a bidder for a release its revoked certificate could
// not make, and a verdict citing a revocation must cite the bidder's.
absl::Status CheckVerdictAgainstRevocations(const v1::Event& e, const TenderState& s,
                                            const Revocations& revoked);

// The live hall (fold_hall.cc).
absl::Status ApplyBidderSignedIn(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyResultsAnnounced(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyAnnouncementConfirmed(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyObjectionRaised(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyObjectionAnswered(const v1::Event& e, TenderState* s, Changes* changes);
absl::Status ApplyOpeningClosed(const v1::Event& e, TenderState* s, Changes* changes);

}  // namespace bidopen::fold_internal

#endif  // BIDOPEN_CORE_OPENING_FOLD_INTERNAL_H_
