// BidFileRestored (review 4 R5; docs/protocol.md "Re-supplying a sealed
// file"): the bidder of a revealed bid whose stored file the start found
// altered put it back, with the SHA-256 it signed, while decryption was open.
#include "absl/strings/str_cat.h"
#include "core/opening/fold_internal.h"
#include "core/opening/resupply_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {

absl::Status ApplyBidFileRestored(const v1::Event& e, TenderState* s, Changes* changes) {
  const v1::BidFileRestored& r = e.bid_file_restored();
  BO_ASSIGN_OR_RETURN(fold::Lot * lot, DecryptingLot(e, s, r.lot()));
  BO_ASSIGN_OR_RETURN(fold::Bid * bid, RevealedBid(e, s, r.bid(), r.lot()));
  if (absl::Status st = CheckResupply(*s, r.lot(), r.bid(), e.actor(), FromProto(e.time()));
      !st.ok())
    return Corrupt(e, absl::StrCat("a restored file refused: ", st.message()));
  if (absl::Status st = CheckResuppliedFile(*bid, bid->size(), r.sha256()); !st.ok())
    return Corrupt(e, absl::StrCat("a restored file refused: ", st.message()));
  bid->mutable_opening()->set_restored_seq(e.seq());
  lot->set_last_restored_seq(e.seq());
  changes->bids.push_back(r.bid());
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
