// Helpers shared by the opening_*.cc files of OpeningApp.
#ifndef BIDOPEN_SERVER_APP_OPENING_INTERNAL_H_
#define BIDOPEN_SERVER_APP_OPENING_INTERNAL_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/opening.pb.h"
#include "core/opening/state.h"
#include "server/store/release_rows.h"

namespace bidopen::app::opening_internal {

// INVALID_ARGUMENT naming `field` unless the reference names a tender and a lot ≥ 1.
absl::Status CheckLotRef(const v1::LotRef& ref, absl::string_view field = "lot");

// The revealed bid `seq` of lot `lot`: NOT_FOUND if the lot has no such bid.
absl::StatusOr<const fold::Bid*> RevealedBid(const TenderState& state, int lot, uint64_t seq);

// The caller's bid revealed at the opening of lot `lot`, by the fold of the
// log (the bidder the reveal named); nullptr if none.
const fold::Bid* RevealedBidOf(const TenderState& state, int lot, const v1::Party& caller);

// A lot's state as the log proves it (store::FoldTenderFromLog: every bid)
// and every release's stored row (material opened, each checked against its
// event's material_sha256 before use), read in one snapshot.
struct LotData {
  TenderState state;
  const fold::Lot* lot = nullptr;
  std::vector<store::ReleaseRow> releases;   // as stored (sealed), one per seq
  std::map<uint64_t, std::string> material;  // by seq: the rows that open under the key
  Revocations revoked;  // the whole log's, folded from its events (review 4 R7)
};

// Review 4 R7: the revocation of `bid`'s bidder's certificate that excuses its
// missing release (RevokedBeforeRelease) under BIDDER or BOTH; nullopt if none.
std::optional<v1::Revocation> RevokedBidder(const LotData& data, const fold::Bid& bid);

// The releases the log accepted for the lot (each revealed bid's bidder
// release, each custodian's key) whose bytes are not in `data.material` or do
// not hash to their event's material_sha256: lost. The lot's verdicts wait
// for them (docs/protocol.md "Lost releases").
std::vector<v1::MissingRelease> MissingReleases(const LotData& data);

}  // namespace bidopen::app::opening_internal

#endif  // BIDOPEN_SERVER_APP_OPENING_INTERNAL_H_
