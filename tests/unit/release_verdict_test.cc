// The verdict does not depend on which custodians release (review finding
// #2): from k good shares every share commitment in the header is checked,
// released or not; a bad record revealed by a release is the bidder's defect,
// named, and invalidates only a bid whose secret is not recovered; every
// custodian that did not release is named. Also: the lot's keys are required
// (#4), a release counts only from its share's custodian and only a bad
// record is the bidder's fault (#5), and BOTH names both paths (#8).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/shamir.h"
#include "core/opening/lot_rules.h"
#include "core/seal/header.h"
#include "core/seal/key_plan.h"
#include "core/seal/release_check.h"
#include "core/seal/release_quorum.h"
#include "tests/unit/assertions.h"
#include "tests/unit/seal_keys_fixture.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::StatusIs;

// The custodians (0-based) whose bit is set in `mask`.
std::vector<size_t> Subset(unsigned mask, size_t n) {
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i)
    if (mask & (1u << i)) out.push_back(i);
  return out;
}

bool Opens(const Judgement& j) { return j.verdict == Verdict::kOk; }

bool Says(const Judgement& j, absl::string_view text) { return absl::StrContains(j.message, text); }

class ReleaseVerdictTest : public SealKeysTest {
 protected:
  // A bid whose share x is off the polynomial, committed and wrapped as it is.
  Sealed OffPolynomial(v1::OpeningPolicy policy, uint32_t x) {
    Sealed s = Seal(policy);
    auto secrets = DrawSecrets(s.header, OsRandom());
    EXPECT_TRUE(secrets.ok()) << secrets.status();
    secrets->shares[x - 1].y[0] ^= 1;
    Reseal(*secrets, &s.header);
    s.secret = secrets->secret.bytes();
    return s;
  }

  // Custodians `which` release, with the bidder's release its policy has.
  Releases WithBidder(const Sealed& s, std::vector<size_t> which) {
    Releases r = Custodians(std::move(which));
    if (s.header.policy() == v1::OPENING_POLICY_ANY) r.bidder_secret = crypto::Secret(s.secret);
    if (s.header.policy() == v1::OPENING_POLICY_BOTH)
      r.bidder_secret = crypto::Secret(BidderSecret(s.header));
    return r;
  }
};

// The review's case: releases {1, 2} used to open a bid whose share 3 is off
// the polynomial, and {1, 2, 3} to refuse it.
TEST_F(ReleaseVerdictTest, AShareOffThePolynomialIsTheBiddersFaultWhicheverKCustodiansRelease) {
  const char* want[8] = {"",
                         "",
                         "",
                         "share 3 does not lie on the polynomial of shares 1, 2",
                         "",
                         "share 2 does not lie on the polynomial of shares 1, 3",
                         "share 1 does not lie on the polynomial of shares 2, 3",
                         "share 3 does not lie on the polynomial of shares 1, 2"};
  for (v1::OpeningPolicy policy : {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_ANY}) {
    const Sealed s = OffPolynomial(policy, 3);
    for (unsigned mask : {3u, 5u, 6u, 7u}) {
      const Judgement j = Judge(s.header, WithBidder(s, Subset(mask, 3)));
      EXPECT_EQ(j.verdict, Verdict::kBidderFault) << mask << ": " << j.message;
      EXPECT_TRUE(Says(j, want[mask])) << j.message;
      EXPECT_TRUE(Says(j, "different custodians would open different secrets")) << j.message;
    }
  }
}

// A record that does not open, with a correct commitment: custodian 3
// releasing or not no longer decides whether the bid is valid.
TEST_F(ReleaseVerdictTest, ABadRecordRevealedDoesNotInvalidateABidWhoseSecretIsRecovered) {
  for (v1::OpeningPolicy policy : {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_ANY}) {
    Sealed s = Seal(policy);
    SpoilWrap(3, &s.header);
    const Judgement two = Judge(s.header, Custodians({0, 1}));
    const Judgement three = Judge(s.header, Custodians({0, 1, 2}));
    ASSERT_EQ(two.verdict, Verdict::kOk) << two.message;
    ASSERT_EQ(three.verdict, Verdict::kOk) << three.message;
    EXPECT_EQ(two.secret.bytes(), s.secret);
    EXPECT_EQ(three.secret.bytes(), s.secret);
    EXPECT_EQ(three.bad_shares, std::vector<uint32_t>{3});
    EXPECT_TRUE(Says(three,
                     "the bidder's defect: share 3 (custodian 3 (fp-custodian-3)) does not "
                     "open with that custodian's key"))
        << three.message;
    EXPECT_EQ(two.not_released, std::vector<uint32_t>{3});
    EXPECT_TRUE(Says(two, "custodian 3 (fp-custodian-3) has not released its key for this lot"))
        << two.message;
  }
}

// With one bad share (of three, k = 2) the bid opens exactly when two good
// shares are released, whether or not the bad share's custodian releases.
TEST_F(ReleaseVerdictTest, WithOneBadShareItsCustodianNeverDecidesTheBidsValidity) {
  Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  SpoilWrap(3, &s.header);
  for (unsigned mask = 0; mask < 8; ++mask) {
    const Judgement j = Judge(s.header, Custodians(Subset(mask, 3)));
    const int good = (mask & 1) + ((mask >> 1) & 1);
    EXPECT_EQ(Opens(j), good >= 2) << mask << ": " << j.message;
    EXPECT_EQ(Opens(j), Opens(Judge(s.header, Custodians(Subset(mask ^ 4u, 3))))) << mask;
    // The bad share revealed makes it the bidder's fault when, good, it would
    // have made k (review 8 V1); alone it made no difference.
    if (!Opens(j)) {
      const bool made_the_difference = (mask & 4) && good + 1 >= 2;
      EXPECT_EQ(j.verdict, made_the_difference ? Verdict::kBidderFault : Verdict::kCustodianFault)
          << mask;
    }
  }
}

// With k + 1 good shares and the other custodians releasing, no single
// custodian's choice changes a bid's validity, under any policy with shares.
TEST_F(ReleaseVerdictTest, WithMoreThanKGoodSharesNoSingleCustodianDecides) {
  custodians_.push_back(NewPair());  // four custodians, k = 2, share 4 bad: 3 good
  for (v1::OpeningPolicy policy :
       {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_ANY, v1::OPENING_POLICY_BOTH}) {
    Sealed garbage = Seal(policy);
    SpoilWrap(4, &garbage.header);
    const Sealed off = OffPolynomial(policy, 4);
    for (unsigned without = 0; without < 4; ++without) {
      const std::vector<size_t> others = Subset(15u & ~(1u << without), 4);
      EXPECT_TRUE(Opens(Judge(garbage.header, WithBidder(garbage, others))))
          << PolicyName(policy) << " without " << without + 1;
      EXPECT_EQ(Judge(off.header, WithBidder(off, others)).verdict, Verdict::kBidderFault)
          << PolicyName(policy) << " without " << without + 1;
    }
    EXPECT_TRUE(Opens(Judge(garbage.header, WithBidder(garbage, {0, 1, 2, 3}))));
    EXPECT_EQ(Judge(off.header, WithBidder(off, {0, 1, 2, 3})).verdict, Verdict::kBidderFault);
  }
}

// What remains (docs/sealed-bid-format.md §5): with exactly k good shares the
// holder of one still decides, but its withholding leaves the bad share that
// the others revealed named as the bidder's, and the bid the bidder's fault.
TEST_F(ReleaseVerdictTest, WithExactlyKGoodSharesAWithheldGoodShareLeavesTheBiddersFault) {
  Sealed s = Seal(v1::OPENING_POLICY_ANY);
  SpoilWrap(3, &s.header);
  Releases r = Custodians({0, 2});
  r.bidder_secret = crypto::Secret(s.secret);  // its own path works: the quorum's still counts
  const Judgement j = Judge(s.header, r);
  EXPECT_EQ(j.verdict, Verdict::kBidderFault) << j.message;
  EXPECT_TRUE(Says(j,
                   "the bidder's fault: policy ANY needs 2 of 3 custodian shares; 1 usable: "
                   "the bidder's bad share 3 made the difference"))
      << j.message;
  EXPECT_TRUE(Says(j, "custodian 2 (fp-custodian-2) has not released its key for this lot"))
      << j.message;
  EXPECT_EQ(j.not_released, std::vector<uint32_t>{2});
  EXPECT_EQ(j.bad_shares, std::vector<uint32_t>{3});
}

TEST_F(ReleaseVerdictTest, EveryCustodianThatDidNotReleaseIsNamedEvenWhenTheBidOpens) {
  const Sealed quorum = Seal(v1::OPENING_POLICY_QUORUM);
  const Judgement q = Judge(quorum.header, Custodians({0, 1}));
  ASSERT_TRUE(Opens(q)) << q.message;
  EXPECT_EQ(q.not_released, std::vector<uint32_t>{3});
  EXPECT_TRUE(Says(q, "custodian 3 (fp-custodian-3) has not released its key")) << q.message;

  const Sealed any = Seal(v1::OPENING_POLICY_ANY);
  const Judgement a = Judge(any.header, WithBidder(any, {}));
  ASSERT_TRUE(Opens(a)) << a.message;
  EXPECT_TRUE(Says(a, "the bidder's secret checked")) << a.message;
  EXPECT_EQ(a.not_released, (std::vector<uint32_t>{1, 2, 3}));
  for (const char* who : {"custodian 1 (fp-custodian-1)", "custodian 2 (fp-custodian-2)",
                          "custodian 3 (fp-custodian-3)"})
    EXPECT_TRUE(Says(a, absl::StrCat(who, " has not released its key"))) << a.message;

  const Sealed both = Seal(v1::OPENING_POLICY_BOTH);
  const Judgement b = Judge(both.header, WithBidder(both, {1, 2}));
  ASSERT_TRUE(Opens(b)) << b.message;
  EXPECT_EQ(b.secret.bytes(), both.secret);
  EXPECT_EQ(b.not_released, std::vector<uint32_t>{1});
  EXPECT_TRUE(Says(b, "custodian 1 (fp-custodian-1) has not released its key")) << b.message;
}

TEST_F(ReleaseVerdictTest, BothNamesTheBidderAndTheCustodiansWhenBothFallShort) {
  const Sealed s = Seal(v1::OPENING_POLICY_BOTH);
  const Judgement j = Judge(s.header, Custodians({0}));
  EXPECT_EQ(j.verdict, Verdict::kBidderFault) << j.message;
  EXPECT_TRUE(Says(j,
                   "the bidder's fault: policy BOTH needs the bidder's secret; the bidder has "
                   "not released it"))
      << j.message;
  EXPECT_TRUE(Says(j,
                   "the custodians' part failed too: not the bidder's fault: policy BOTH "
                   "needs 2 of 3 custodian shares; 1 usable"))
      << j.message;
  EXPECT_TRUE(Says(j, "custodian 2 (fp-custodian-2) has not released its key")) << j.message;
  EXPECT_TRUE(Says(j, "custodian 3 (fp-custodian-3) has not released its key")) << j.message;
  EXPECT_EQ(j.not_released, (std::vector<uint32_t>{2, 3}));
}

// Review finding #4: without the lot's keys a bidder could wrap its shares to
// keys nobody holds and blame the custodians.
TEST_F(ReleaseVerdictTest, AVerdictOnSharesNeedsTheLotsKeyOfEveryCustodian) {
  for (v1::OpeningPolicy policy :
       {v1::OPENING_POLICY_QUORUM, v1::OPENING_POLICY_ANY, v1::OPENING_POLICY_BOTH}) {
    const Sealed s = Seal(policy);
    const std::string lot = absl::StrCat("lot 1 (policy ", PolicyName(policy), ") has ");
    std::vector<std::string> keys;
    EXPECT_TRUE(StatusIs(JudgeReleases(s.header, keys, WithBidder(s, {0, 1, 2})).status(),
                         absl::StatusCode::kFailedPrecondition,
                         {lot, "0 published custodian keys for 3 custodians",
                          "needs the lot's key of every custodian"}));
    keys = LotKeys();
    keys.pop_back();
    EXPECT_TRUE(StatusIs(JudgeReleases(s.header, keys, WithBidder(s, {0, 1, 2})).status(),
                         absl::StatusCode::kFailedPrecondition,
                         {lot, "2 published custodian keys for 3 custodians"}));
  }
  const Sealed bidder = Seal(v1::OPENING_POLICY_BIDDER);
  Releases r;
  r.bidder_secret = crypto::Secret(bidder.secret);
  auto j = JudgeReleases(bidder.header, {}, r);
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_TRUE(Opens(*j)) << j->message;
}

TEST_F(ReleaseVerdictTest, AShareLotWithoutOneKeyPerCustodianTakesNoBid) {
  const Sealed s = Seal(v1::OPENING_POLICY_ANY);
  const v1::Lot lot = Lot(v1::OPENING_POLICY_ANY);
  EXPECT_TRUE(StatusIs(
      CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", {}),
      absl::StatusCode::kFailedPrecondition,
      {"lot 1 (policy ANY) has 0 per-lot custodian keys for 3 custodians", "none is accepted"}));
  std::vector<std::string> keys = LotKeys();
  keys.push_back(NewPair().public_key);
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition,
                       {"lot 1 (policy ANY) has 4 per-lot custodian keys for 3 custodians"}));
  EXPECT_TRUE(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", LotKeys()).ok());
  const Sealed b = Seal(v1::OPENING_POLICY_BIDDER);
  EXPECT_TRUE(
      CheckHeaderForLot(b.header, "T-1", Lot(v1::OPENING_POLICY_BIDDER), "fp-bidder", {}).ok());
}

// Review finding #5: the release is attributed to its authenticated releaser.
TEST_F(ReleaseVerdictTest, AReleaseCountsOnlyFromTheCustodianOfItsShare) {
  const Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  Releases r = Custodians({0});
  CustodianKeyRelease misfiled = Release(0);  // custodian 1's key, filed as share 2
  misfiled.share_x = 2;
  r.custodians.push_back(std::move(misfiled));
  CustodianKeyRelease stranger = Release(0);
  stranger.share_x = 9;
  r.custodians.push_back(std::move(stranger));
  const Judgement j = Judge(s.header, r);
  EXPECT_EQ(j.verdict, Verdict::kCustodianFault) << j.message;
  EXPECT_TRUE(Says(j,
                   "ignored: a release by fp-custodian-1 for share 2, which is custodian 2 "
                   "(fp-custodian-2)'s"))
      << j.message;
  EXPECT_TRUE(Says(j,
                   "ignored: a release by fp-custodian-1 for share 9, which this bid does not "
                   "have"))
      << j.message;
  EXPECT_FALSE(Says(j, "custodian 2 (fp-custodian-2) released")) << j.message;
  EXPECT_TRUE(j.wrong_key.empty());
  EXPECT_EQ(j.not_released, (std::vector<uint32_t>{2, 3}));
}

// Only a bad record (DATA_LOSS) is the bidder's; any other failure of a check
// is an error of the opening, returned, not a verdict.
TEST_F(ReleaseVerdictTest, OnlyABadRecordIsTheBiddersFaultOtherErrorsAreReturned) {
  Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  v1::SealedHeader low_order = s.header;  // (which also changes every wrap's associated data)
  low_order.mutable_recipients(1)->set_ephemeral_public(std::string(32, '\0'));
  const Judgement j = Judge(low_order, Custodians({0, 1, 2}));
  EXPECT_EQ(j.verdict, Verdict::kBidderFault) << j.message;
  EXPECT_EQ(j.bad_shares, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_TRUE(Says(j,
                   "the bidder's defect: share 2 (custodian 2 (fp-custodian-2)) does not open "
                   "with that custodian's key: X25519 shared secret is all-zero"))
      << j.message;

  v1::SealedHeader broken = s.header;  // not a valid header: a check that cannot run
  broken.mutable_recipients(1)->set_ephemeral_public(std::string(31, 'e'));
  EXPECT_TRUE(StatusIs(UnwrapShare(broken, 2, custodians_[1].private_key),
                       absl::StatusCode::kInvalidArgument, {"share 2 (custodian 2", "31"}));
  EXPECT_TRUE(StatusIs(JudgeReleases(broken, LotKeys(), Custodians({0, 1, 2})).status(),
                       absl::StatusCode::kInvalidArgument, {"share 2 (custodian 2"}));
}

// f(x) from k shares (the XOR shift in EvaluateAt) against ShamirSplit's own
// evaluation of the polynomial at every x, and f(0) against the secret.
TEST_F(ReleaseVerdictTest, EvaluateAtGivesEveryShareOfTheSplit) {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  auto shares = crypto::ShamirSplit(secret, 3, 7);
  ASSERT_TRUE(shares.ok()) << shares.status();
  for (const std::vector<size_t>& pick :
       std::vector<std::vector<size_t>>{{0, 1, 2}, {6, 2, 4}, {3, 5, 6}}) {
    std::vector<crypto::Share> base;
    for (size_t i : pick) base.push_back((*shares)[i]);
    for (const crypto::Share& want : *shares) {
      auto y = EvaluateAt(base, 3, want.x);
      ASSERT_TRUE(y.ok()) << y.status();
      EXPECT_EQ(y->bytes(), want.y) << int{want.x};
    }
    auto f0 = EvaluateAt(base, 3, 0);
    ASSERT_TRUE(f0.ok()) << f0.status();
    EXPECT_EQ(f0->bytes(), secret);
  }
}

}  // namespace
}  // namespace bidopen::seal
