// Review 4 R6: `opening decrypt` releases only for the bid the verified log
// revealed for this bidder in this lot (CheckMyRevealedBid). GetMyBid's
// header is the server's word: the header of the bidder's withdrawn or
// replaced bid in the same lot is sealed to the same key, so unwrapping it
// would hand the operator that bid's secret (under BOTH, the only thing that
// kept a withdrawn bid closed once the custodians' keys are out).
#include <gtest/gtest.h>

#include <string>

#include "client/verified_lot.h"
#include "tests/unit/assertions.h"

namespace bidopen::client {
namespace {

using ::bidopen::testing::StatusIs;

constexpr char kMe[] = "aaaa";

// Lot 1 with two revealed bids: #7 (mine, header "live header") and #9
// (another bidder's); my withdrawn bid #4 is not revealed.
VerifiedLot Revealed() {
  VerifiedLot v;
  v.lot.set_number(1);
  v1::BidEntry* mine = v.lot.add_bids();
  mine->set_seq(7);
  mine->mutable_opening()->mutable_bidder()->set_fingerprint(kMe);
  v1::BidEntry* other = v.lot.add_bids();
  other->set_seq(9);
  other->mutable_opening()->mutable_bidder()->set_fingerprint("bbbb");
  v1::BidEntry* withdrawn = v.lot.add_bids();
  withdrawn->set_seq(4);
  withdrawn->set_status(v1::BID_STATUS_WITHDRAWN);
  v.revealed_headers = {{7, "live header"}, {9, "other header"}};
  return v;
}

const LotName kLot{.tender_id = "T-7K2M9Q4XRB", .lot = 1};

TEST(RevealedBidTest, TheBidTheLogRevealedForMeIsReleased) {
  EXPECT_TRUE(CheckMyRevealedBid(Revealed(), kLot, kMe, 7, "live header").ok());
}

TEST(RevealedBidTest, AWithdrawnBidsHeaderFromTheServerIsRefusedNamingBothBids) {
  EXPECT_TRUE(StatusIs(CheckMyRevealedBid(Revealed(), kLot, kMe, 4, "withdrawn header"),
                       absl::StatusCode::kDataLoss,
                       {"bid #4", "is not the bid the verified log revealed for you in lot 1",
                        "bid #7", "nothing was unwrapped or sent"}));
  // The right seq with another header (a substituted header) is refused too.
  EXPECT_TRUE(StatusIs(CheckMyRevealedBid(Revealed(), kLot, kMe, 7, "withdrawn header"),
                       absl::StatusCode::kDataLoss, {"header SHA-256", "bid #7"}));
}

TEST(RevealedBidTest, NoRevealedBidOfMineIsNotFound) {
  EXPECT_TRUE(StatusIs(CheckMyRevealedBid(Revealed(), kLot, "cccc", 9, "other header"),
                       absl::StatusCode::kNotFound, {"reveals no bid of yours in lot 1"}));
}

}  // namespace
}  // namespace bidopen::client
