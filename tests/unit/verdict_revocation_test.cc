// Review 4 R7: a bidder whose certificate the operator revoked after the
// lot's submission deadline and before any release of it was accepted could
// not release: its missing release is the platform's fault (treated as
// withdrawn), with the revocation named, not the bidder's. The rule is
// DecideVerdict's (VerdictInput.bidder_revoked); a whole-log fold (with the
// revocations) refuses a bidder-fault verdict that contradicts one, and a
// verdict citing a revocation that is not the bidder's; a tender's events
// alone check only the verdict's shape.
#include "core/opening/revocation_rules.h"
#include "tests/unit/fold_opening_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::StatusIs;

const v1::Party kOperator = PartyOf('9', "Platform Ops", v1::ROLE_OPERATOR);

class VerdictRevocationTest : public FoldOpeningTest {
 protected:
  // As FoldInto applies it: installation-wide events to the revocations,
  // the tender's with the revocations too.
  absl::Status ApplyWhole(const v1::Event& e) {
    FoldTarget target{.keys = &keys_, .revoked = &revoked_};
    if (!e.tender_id().empty()) target.tender = &state_;
    absl::StatusOr<Changes> changes = ApplyEvent(e, target);
    if (changes.ok() && !e.tender_id().empty()) log_.push_back(e);
    return changes.status();
  }

  v1::Event Revoke(const Bidder& b, absl::Time t) {
    v1::Event e = EventOf(NextSeq(), "");
    e.clear_tender_id();
    *e.mutable_time() = ToProto(t);
    *e.mutable_actor() = kOperator;
    e.mutable_certificate_revoked()->set_fingerprint(b.party.fingerprint());
    e.mutable_certificate_revoked()->set_reason("key reported stolen");
    return e;
  }

  // The verdict with no bidder release (the revoked bidder could not make one).
  v1::BidVerdict Unreleased(const Bidder& b, std::optional<v1::Revocation> revoked) {
    VerdictInput in = JudgedInput(b, seal::Releases());
    in.bidder_revoked = std::move(revoked);
    return DecideVerdict(in);
  }

  KeyRegistry keys_;
  Revocations revoked_;
};

TEST_F(VerdictRevocationTest, ABidderRevokedAfterTheDeadlineBeforeReleasingIsNotAtFault) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  // The operator revokes bidder 1 after the deadline, before the start.
  const v1::Event revocation = Revoke(bidders_[1], kStart - absl::Seconds(30));
  ASSERT_TRUE(ApplyWhole(revocation).ok());
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  ASSERT_TRUE(ApplyWhole(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(ApplyWhole(BidderRelease(bidders_[2], t)).ok());
  const v1::Revocation& r = revoked_.at(bidders_[1].party.fingerprint());
  const fold::Lot& lot = state_.tender.lots(0);
  EXPECT_TRUE(RevokedBeforeRelease(r, lot, 0));
  fold::Lot later = lot;  // a deadline after the revocation
  *later.mutable_spec()->mutable_submission_deadline() = ToProto(kStart);
  EXPECT_FALSE(RevokedBeforeRelease(r, later, 0));
  EXPECT_FALSE(RevokedBeforeRelease(r, lot, revocation.seq() - 1));  // it had released
  v1::Revocation in_window = r;                                      // during the window
  *in_window.mutable_revoked()->mutable_time() = ToProto(kStart + absl::Seconds(1));
  EXPECT_FALSE(RevokedBeforeRelease(in_window, lot, 0));
  for (int i : {0, 2})
    ASSERT_TRUE(ApplyWhole(Decrypted(bidders_[i], t + absl::Minutes(2), true)).ok());

  // Blamed for the release it could not make: the whole-log fold refuses it.
  const v1::BidVerdict blamed = Unreleased(bidders_[1], std::nullopt);
  ASSERT_EQ(blamed.fault(), v1::FAULT_BIDDER);
  EXPECT_TRUE(StatusIs(ApplyWhole(Verdict(blamed, kWindowEnd)), kLoss,
                       {"revoked its certificate", absl::StrCat("log #", revocation.seq())}));
  // The rule: the platform's fault, naming the revocation.
  const v1::BidVerdict v = Unreleased(bidders_[1], r);
  EXPECT_EQ(v.fault(), v1::FAULT_PLATFORM);
  EXPECT_EQ(v.consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_EQ(v.revoked_seq(), revocation.seq());
  for (absl::string_view part :
       {absl::string_view("not the bidder's fault"), absl::string_view("revoked at"),
        absl::string_view("Platform Ops"), absl::string_view("key reported stolen")})
    EXPECT_TRUE(absl::StrContains(v.reason(), part)) << v.reason();
  EXPECT_TRUE(absl::StrContains(v.reason(), absl::StrCat("log event ", revocation.seq())));
  // Citing another revocation than the bidder's does not fold.
  v1::BidVerdict other = v;
  other.set_revoked_seq(revocation.seq() - 1);
  EXPECT_TRUE(
      StatusIs(ApplyWhole(Verdict(other, kWindowEnd)), kLoss, {"is not a revocation of bid"}));
  ASSERT_TRUE(ApplyWhole(Verdict(v, kWindowEnd)).ok());
  for (int i : {0, 2})
    ASSERT_TRUE(
        ApplyWhole(Verdict(VerdictFor(bidders_[i], BidderReleases(bidders_[i])), kWindowEnd)).ok());
  ASSERT_TRUE(ApplyWhole(Ended(kWindowEnd, /*early=*/false)).ok());
  EXPECT_EQ(BidOf(bidders_[1]).opening().revoked_seq(), revocation.seq());
  EXPECT_EQ(BidOf(bidders_[1]).opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
  // The tender's events alone fold the same (they cannot check the revocation).
  ExpectReplayGivesTheState();
}

// The tender-only fold checks a cited revocation's shape: the platform's fault
// for a missing bidder release, cited before the verdict.
TEST_F(VerdictRevocationTest, ATenderAloneChecksTheShapeOfAVerdictCitingARevocation) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  ASSERT_TRUE(Apply(BidderRelease(bidders_[0], t)).ok());
  v1::Revocation r;
  r.set_fingerprint(bidders_[1].party.fingerprint());
  *r.mutable_revoked_by() = kOperator;
  r.mutable_revoked()->set_seq(1);
  *r.mutable_revoked()->mutable_time() = ToProto(t);
  v1::BidVerdict future = Unreleased(bidders_[1], r);
  future.set_revoked_seq(next_seq_ + 5);
  EXPECT_TRUE(StatusIs(Apply(Verdict(future, kWindowEnd)), kLoss, {"cites revocation"}));
  // On the bidder that released: no missing release to excuse.
  v1::BidVerdict released = Unreleased(bidders_[0], r);
  EXPECT_TRUE(StatusIs(Apply(Verdict(released, kWindowEnd)), kLoss, {"cites revocation"}));
}

// A bad share is the bidder's sealing defect, revoked or not; custodians
// revoked in the window were already never the bidder's fault (the
// custodians', treated as withdrawn).
TEST_F(VerdictRevocationTest, BadSharesStayTheBiddersAndRevokedCustodiansNeverBlameTheBidder) {
  Begin(v1::OPENING_POLICY_QUORUM, 1, [](v1::LotSpec* spec) { spec->set_min_valid_bids(1); });
  v1::Revocation r;
  r.mutable_revoked()->set_seq(1);
  // Only one of the k = 2 custodians could release (the others revoked).
  VerdictInput in;
  auto j = seal::JudgeReleases(bidders_[0].bid.header, lot_->lot_keys(), CustodianReleases({0}));
  ASSERT_TRUE(j.ok()) << j.status();
  in.judgement = *j;
  in.matched_at_start = true;
  const v1::BidVerdict custodians = DecideVerdict(in);
  EXPECT_EQ(custodians.fault(), v1::FAULT_CUSTODIANS);
  EXPECT_EQ(custodians.consequence(), v1::CONSEQUENCE_WITHDRAWN);
  // A bidder fault with a bad share is not excused by a revocation.
  in.judgement.verdict = seal::Verdict::kBidderFault;
  in.judgement.bad_shares = {2};
  in.bidder_revoked = r;
  EXPECT_EQ(DecideVerdict(in).fault(), v1::FAULT_BIDDER);
}

// Review 6 T2: a bidder holds its release back while the others' values are
// read, then the operator revokes its certificate at the window's end. A
// revocation during the window excuses nothing: the bidder's fault stands
// (视为撤销), and a verdict citing the revocation does not fold.
TEST_F(VerdictRevocationTest, ARevocationDuringTheWindowExcusesNothing) {
  Begin(v1::OPENING_POLICY_BIDDER, 3, [](v1::LotSpec* spec) { spec->set_min_valid_bids(2); });
  Open();
  const absl::Time t = kStart + absl::Minutes(2);
  ASSERT_TRUE(ApplyWhole(BidderRelease(bidders_[0], t)).ok());
  ASSERT_TRUE(ApplyWhole(BidderRelease(bidders_[2], t)).ok());
  for (int i : {0, 2})
    ASSERT_TRUE(ApplyWhole(Decrypted(bidders_[i], t + absl::Minutes(1), true)).ok());
  ASSERT_TRUE(ApplyWhole(Revoke(bidders_[1], kWindowEnd)).ok());
  const v1::Revocation& r = revoked_.at(bidders_[1].party.fingerprint());
  EXPECT_TRUE(StatusIs(ApplyWhole(Verdict(Unreleased(bidders_[1], r), kWindowEnd)), kLoss,
                       {"is not a revocation of bid"}));
  ASSERT_TRUE(ApplyWhole(Verdict(Unreleased(bidders_[1], std::nullopt), kWindowEnd)).ok());
  EXPECT_EQ(BidOf(bidders_[1]).opening().consequence(), v1::CONSEQUENCE_REVOKED);
}

}  // namespace
}  // namespace bidopen::opening_test
