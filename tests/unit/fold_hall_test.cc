// The live hall folded from its events (core/opening/fold_hall.cc) after a
// real opening: sign-in before and after the start, the announcement with its
// table, a confirmation, an objection and its answer, the close, the record
// that follows, and the same state and record from a replay.
#include <gtest/gtest.h>

#include "core/opening/announcement.h"
#include "core/opening/limits.h"
#include "core/opening/record.h"
#include "core/seal/format.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_hall_fixture.h"

namespace bidopen::opening_test {
namespace {

TEST_F(FoldHallTest, TheWholeHallFoldsFromSignInToCloseAndGivesTheRecord) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  ASSERT_TRUE(Apply(SignIn(bidders_[0], kOpening - absl::Minutes(10))).ok());
  EXPECT_EQ(Lot().hall().signed_in(), 1u);
  EXPECT_EQ(BidOf(bidders_[0]).hall().signed_in_by().organization(), "Builder 1");
  Open();
  ASSERT_TRUE(Apply(SignIn(bidders_[1], kStart + absl::Minutes(1))).ok());
  EXPECT_EQ(Lot().hall().signed_in(), 2u);
  const absl::Time announced = DecryptOpened() + absl::Seconds(1);
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_ANNOUNCING);

  const v1::Event announcement = Announce(announced);
  ASSERT_TRUE(Apply(announcement).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_CONFIRMING);
  EXPECT_EQ(Lot().hall().announced().seq(), announcement.seq());
  EXPECT_EQ(ConfirmUntil(), announced + absl::Minutes(10));
  auto table = AnnouncementOf(state_, 1);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(Lot().hall().announcement_sha256(), AnnouncementHash(*table));
  EXPECT_EQ(announcement.results_announced().bids_size(), 3);

  ASSERT_TRUE(Apply(Confirm(bidders_[0], announced + absl::Minutes(1))).ok());
  EXPECT_EQ(Lot().hall().confirmed(), 1u);
  EXPECT_EQ(BidOf(bidders_[0]).hall().confirmation_signature(), "signature");
  const v1::Event objection = Object(bidders_[1], announced + absl::Minutes(2),
                                     "唱标价格与我方投标文件不符 / the price read is not ours");
  ASSERT_TRUE(Apply(objection).ok());
  ASSERT_EQ(Lot().hall().objections_size(), 1);
  EXPECT_EQ(Lot().hall().objections(0).seq(), objection.seq());
  EXPECT_EQ(Lot().hall().objections(0).bidder().organization(), "Builder 2");
  EXPECT_EQ(Lot().hall().unanswered(), 1u);
  ASSERT_TRUE(Apply(Answer(objection.seq(), announced + absl::Minutes(3),
                           "The price read is the one sealed: its commitment opens."))
                  .ok());
  EXPECT_EQ(Lot().hall().unanswered(), 0u);
  EXPECT_EQ(Lot().hall().objections(0).answer().by().fingerprint(), kAgency.fingerprint());
  ASSERT_TRUE(Apply(Close(ConfirmUntil())).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_CLOSED);
  EXPECT_EQ(Lot().hall().closed_by().fingerprint(), kAgency.fingerprint());

  auto record = RecordOf(state_, 1);
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_EQ(record->bids_size(), 3);
  EXPECT_EQ(record->bids(0).response(), v1::HALL_RESPONSE_CONFIRMED);
  EXPECT_EQ(record->bids(0).confirmation_signature(), "signature");
  EXPECT_EQ(record->bids(1).response(), v1::HALL_RESPONSE_OBJECTED);
  EXPECT_EQ(record->bids(2).response(), v1::HALL_RESPONSE_DID_NOT_OBJECT);
  EXPECT_TRUE(record->bids(1).has_signed_in());
  EXPECT_FALSE(record->bids(2).has_signed_in());
  EXPECT_EQ(record->signed_in(), 2u);
  EXPECT_EQ(record->confirmed(), 1u);
  EXPECT_EQ(record->objected(), 1u);
  EXPECT_EQ(record->did_not_object(), 1u);
  EXPECT_EQ(record->bids(0).announced().values(0).value(), "1000.00");
  EXPECT_EQ(record->objections(0).answer().text(),
            "The price read is the one sealed: its commitment opens.");
  EXPECT_EQ(FromProto(record->closed().time()), ConfirmUntil());
  EXPECT_EQ(FromProto(record->opening_time()), kOpening);
  EXPECT_EQ(record->announcement_sha256(), Lot().hall().announcement_sha256());
  EXPECT_FALSE(record->has_closing_head());

  ExpectReplayGivesTheState();
  auto replay = FoldTender(log_);
  ASSERT_TRUE(replay.ok()) << replay.status();
  auto again = RecordOf(*replay, 1);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(RecordBytes(*again), RecordBytes(*record));
}

TEST_F(FoldHallTest, TheTableListsEveryRevealedBidInSeqOrderWithValuesOrItsFailure) {
  Announced(4, /*failing=*/{2});
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_CONFIRMING);
  auto table = AnnouncementOf(state_, 1);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->tender_id(), kTender);
  EXPECT_EQ(table->failure(), "");
  ASSERT_EQ(table->bids_size(), 4);
  for (int i = 0; i < 4; ++i) {
    const v1::AnnouncedBid& row = table->bids(i);
    EXPECT_EQ(row.bid(), bidders_[i].seq);
    EXPECT_EQ(row.bidder().organization(), absl::StrCat("Builder ", i + 1));
    EXPECT_EQ(row.bidder().fingerprint(), bidders_[i].party.fingerprint());
    if (i == 2) continue;
    EXPECT_EQ(row.status(), v1::BID_STATUS_DECRYPTED);
    ASSERT_EQ(row.values_size(), 2);
    EXPECT_EQ(row.values(0).name(), "price");
    EXPECT_EQ(row.values(0).value(), absl::StrCat(1000 + i, ".00"));
    EXPECT_EQ(row.values(1).name(), "duration_days");
  }
  const v1::AnnouncedBid& failed = table->bids(2);
  EXPECT_EQ(failed.status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(failed.fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(failed.consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_NE(failed.reason(), "");
  EXPECT_EQ(failed.values_size(), 0);
  const std::string bytes = AnnouncementBytes(*table);
  EXPECT_EQ(bytes.substr(0, 4 + sizeof(kTender) - 1),
            std::string("\0\0\0\x0c", 4) + std::string(kTender));
  EXPECT_EQ(AnnouncementHash(*table), seal::LabelledHash("bidopen/v1/announcement", {bytes}));
  EXPECT_EQ(AnnouncementHash(*table), Lot().hall().announcement_sha256());
  ExpectReplayGivesTheState();
}

TEST_F(FoldHallTest, ALotThatFailedAfterDecryptionIsAnnouncedWithItsFailureAndCloses) {
  const absl::Time announced = Announced(3, /*failing=*/{1});
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  ASSERT_TRUE(Lot().hall().has_announced());
  auto table = AnnouncementOf(state_, 1);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_TRUE(absl::StrContains(table->failure(), "2 bids decrypted, fewer than the lot's minimum"))
      << table->failure();
  ASSERT_TRUE(Apply(Confirm(bidders_[1], announced + absl::Minutes(1))).ok());
  ASSERT_TRUE(Apply(Close(ConfirmUntil() + absl::Seconds(1))).ok());
  EXPECT_EQ(Lot().status(), v1::LOT_STATUS_FAILED);
  auto record = RecordOf(state_, 1);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->failure(), table->failure());
  EXPECT_EQ(record->bids(1).response(), v1::HALL_RESPONSE_CONFIRMED);
  EXPECT_EQ(record->bids(1).announced().fault(), v1::FAULT_BIDDER);
  ExpectReplayGivesTheState();
}

TEST_F(FoldHallTest, ABidderThatObjectedMayConfirmOnceAnswered) {
  const absl::Time announced = Announced(3);
  const v1::Event objection = Object(bidders_[2], announced + absl::Seconds(30), "请复核工期");
  ASSERT_TRUE(Apply(objection).ok());
  ASSERT_TRUE(
      Apply(Answer(objection.seq(), announced + absl::Minutes(1), "工期 90 天，已复核")).ok());
  ASSERT_TRUE(Apply(Confirm(bidders_[2], announced + absl::Minutes(2))).ok());
  EXPECT_EQ(BidOf(bidders_[2]).hall().objections(), 1u);
  ASSERT_TRUE(Apply(Close(ConfirmUntil())).ok());
  auto record = RecordOf(state_, 1);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->bids(2).response(), v1::HALL_RESPONSE_CONFIRMED);
  EXPECT_EQ(record->objected(), 0u);
  EXPECT_EQ(record->did_not_object(), 2u);
  ExpectReplayGivesTheState();
}

TEST_F(FoldHallTest, TheLotsHallSettingsDefaultAndSignInNeverOpensBeforeTheDeadline) {
  v1::LotSpec spec;
  *spec.mutable_submission_deadline() = ToProto(kDeadline);
  *spec.mutable_opening_time() = ToProto(kOpening);
  EXPECT_EQ(SignInLead(spec), absl::Minutes(30));
  EXPECT_EQ(ConfirmationWindow(spec), absl::Minutes(10));
  EXPECT_EQ(ObjectionLimit(spec), limits::kMaxObjectionChars);
  EXPECT_EQ(SignInOpens(spec), kOpening - absl::Minutes(30));
  *spec.mutable_sign_in_lead() = ToProto(absl::Hours(2));
  EXPECT_EQ(SignInOpens(spec), kDeadline);
  *spec.mutable_confirmation_window() = ToProto(absl::Minutes(3));
  spec.set_objection_limit(500);
  EXPECT_EQ(ConfirmationWindow(spec), absl::Minutes(3));
  EXPECT_EQ(ObjectionLimit(spec), 500);
  EXPECT_EQ(CharCount("价格 ok"), 5u);
}

TEST_F(FoldHallTest, TheRecordWaitsForTheClose) {
  Announced(3);
  EXPECT_TRUE(testing::StatusIs(RecordOf(state_, 1).status(), absl::StatusCode::kFailedPrecondition,
                                {"the opening of lot 1 of tender T-7K2M9Q4XRB has not closed"}));
}

TEST_F(FoldHallTest, ASignedRecordIsCheckedByteForByteAgainstTheRecordTheLogGives) {
  const absl::Time announced = Announced(3);
  ASSERT_TRUE(Apply(Confirm(bidders_[0], announced + absl::Minutes(1))).ok());
  const v1::Event close = Close(ConfirmUntil());
  ASSERT_TRUE(Apply(close).ok());
  auto body = RecordOf(state_, 1);
  ASSERT_TRUE(body.ok()) << body.status();
  body->mutable_closing_head()->set_size(close.seq() + 1);
  body->mutable_closing_head()->set_checkpoint("a signed head covering the close");
  const std::string good = RecordBytes(*body);
  auto checked = CheckRecordAgainstLog(state_, 1, good);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->closing_head().checkpoint(), "a signed head covering the close");
  EXPECT_EQ(RecordSigningInput(good).substr(0, 4 + kRecordLabel.size()),
            std::string("\0\0\0\x11", 4) + std::string(kRecordLabel));

  v1::OpeningRecordBody changed = *body;  // a price the log does not hold
  changed.mutable_bids(0)->mutable_announced()->mutable_values(0)->set_value("999.00");
  EXPECT_TRUE(testing::StatusIs(CheckRecordAgainstLog(state_, 1, RecordBytes(changed)).status(),
                                absl::StatusCode::kDataLoss,
                                {"differs from the record the log gives", "999.00"}));
  v1::OpeningRecordBody early = *body;  // a head signed before the close
  early.mutable_closing_head()->set_size(close.seq());
  EXPECT_TRUE(testing::StatusIs(CheckRecordAgainstLog(state_, 1, RecordBytes(early)).status(),
                                absl::StatusCode::kDataLoss, {"does not cover the close"}));
  EXPECT_TRUE(testing::StatusIs(CheckRecordAgainstLog(state_, 1, "\xff\xff").status(),
                                absl::StatusCode::kDataLoss, {"does not parse"}));
}

}  // namespace
}  // namespace bidopen::opening_test
