// Review 5 S2, review 6 T3: `custody release` sends a per-lot key only if no
// other lot in the whole log holds it (client/key_use.h).
#include "client/key_use.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/assertions.h"

namespace bidopen::client {
namespace {

using ::bidopen::testing::StatusIs;

v1::Event Created(uint64_t seq, const std::string& tender, const std::vector<std::string>& keys) {
  v1::Event e;
  e.set_seq(seq);
  e.set_tender_id(tender);
  v1::LotSpec* lot = e.mutable_tender_created()->add_lots();
  for (const std::string& k : keys) lot->add_custodian_keys(k);
  return e;
}

const std::string kMine(32, 'k');

TEST(KeyUseTest, TheOneLotHoldingTheKeyMayReleaseIt) {
  const std::vector<v1::Event> log = {Created(0, "T-B", {std::string(32, 'o')}),
                                      Created(1, "T-A", {kMine})};
  EXPECT_TRUE(KeyAssignedOnlyTo(log, {"T-A", 1}, kMine).ok());
}

// The operator gave tender A (opening sooner) the key tender B was given
// first: releasing it for A would open B's shares.
TEST(KeyUseTest, AKeyAnEarlierTenderHoldsIsNotReleased) {
  const std::vector<v1::Event> log = {Created(0, "T-B", {kMine}), Created(1, "T-A", {kMine})};
  EXPECT_TRUE(StatusIs(KeyAssignedOnlyTo(log, {"T-A", 1}, kMine), absl::StatusCode::kDataLoss,
                       {"is also held by lot 1 of tender T-B (log #0), not only by lot 1 of T-A",
                        "nothing was sent"}));
  EXPECT_TRUE(StatusIs(KeyAssignedOnlyTo(log, {"T-A", 2}, kMine), absl::StatusCode::kDataLoss,
                       {"tender T-B"}));
  EXPECT_TRUE(StatusIs(KeyAssignedOnlyTo({}, {"T-A", 1}, kMine), absl::StatusCode::kNotFound,
                       {"no tender in the log holds your per-lot key"}));
}

// Review 6 T3: tender A (opening sooner) holds the key honestly; the operator
// copies it into the later tender B, whose bidders seal to it. Releasing it
// for A would open B's shares a month early.
TEST(KeyUseTest, AKeyALaterTenderAlsoHoldsIsNotReleased) {
  const std::vector<v1::Event> log = {Created(0, "T-A", {kMine}), Created(1, "T-B", {kMine})};
  EXPECT_TRUE(StatusIs(KeyAssignedOnlyTo(log, {"T-A", 1}, kMine), absl::StatusCode::kDataLoss,
                       {"is also held by lot 1 of tender T-B (log #1)"}));
}

}  // namespace
}  // namespace bidopen::client
