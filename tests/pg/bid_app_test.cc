// BidApp through the real store with a fake clock: the deadline to the
// millisecond, on the whole commit path (upload, statement, append).
#include "tests/pg/bid_app_fixture.h"

namespace bidopen::testing {
namespace {

TEST_F(BidAppTest, ACommitOneMillisecondBeforeTheDeadlineIsABid) {
  auto up = Uploaded();
  clock_.Advance(Deadline() - clock_.Now() - absl::Milliseconds(1));
  auto receipt = bids_->Commit(*up, Commit());
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  auto v = bid::VerifyReceipt(*receipt, ca_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(FromProto(v->body.received()), Deadline() - absl::Milliseconds(1));
}

TEST_F(BidAppTest, ACommitOneMillisecondAfterTheDeadlineIsRefusedAndWritesNothing) {
  auto up = Uploaded();
  const uint64_t size_before = *log_->Size();
  clock_.Advance(Deadline() - clock_.Now() + absl::Milliseconds(1));
  auto receipt = bids_->Commit(*up, Commit());
  EXPECT_EQ(receipt.status().code(), absl::StatusCode::kFailedPrecondition) << receipt.status();
  EXPECT_NE(receipt.status().message().find("passed 0.001 s ago by the server clock; the bid "
                                            "was not accepted"),
            absl::string_view::npos)
      << receipt.status();
  EXPECT_EQ(*log_->Size(), size_before);
  v1::ListMyBidsRequest req;
  req.set_tender_id(tender_.id());
  EXPECT_EQ(bids_->List(bidder_, req)->receipts_size(), 0);
}

TEST_F(BidAppTest, APartialUploadIsDiscardedAfterTheGraceOrWhenTheBidderCallsAgain) {
  const v1::UploadStart start = Start();
  UploadFirst(1000);
  // Housekeeping leaves a grace after the deadline, so it never races a
  // commit that started before it.
  clock_.Advance(Deadline() - clock_.Now() + app::BidApp::kDiscardGrace - absl::Milliseconds(1));
  EXPECT_EQ(*bids_->DiscardLate(), 0);
  EXPECT_EQ(bids_->Offset(bidder_, start)->offset(), 1000u);
  clock_.Advance(absl::Milliseconds(2));
  EXPECT_EQ(*bids_->DiscardLate(), 1);
  EXPECT_EQ(bids_->Offset(bidder_, start)->offset(), 0u);
  auto again = bids_->Begin(bidder_, start);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("your partial upload (1000 of"), absl::string_view::npos)
      << again.status();
}

TEST_F(BidAppTest, TheBidderCallingAfterTheDeadlineIsToldItsPartialUploadIsDiscarded) {
  const v1::UploadStart start = Start();
  UploadFirst(1000);
  clock_.Advance(Deadline() - clock_.Now() + absl::Milliseconds(1));
  auto again = bids_->Begin(bidder_, start);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("passed 0.001 s ago"), absl::string_view::npos);
  EXPECT_NE(again.status().message().find("your partial upload (1000 of"), absl::string_view::npos)
      << again.status();
  EXPECT_EQ(bids_->Offset(bidder_, start)->offset(), 0u);
}

TEST_F(BidAppTest, ACompleteUploadNotCommittedInTimeIsNotCalledPartial) {
  const v1::UploadStart start = Start();
  Uploaded();  // every byte stored, the commit never sent
  clock_.Advance(Deadline() - clock_.Now() + absl::Milliseconds(1));
  auto again = bids_->Begin(bidder_, start);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find(
                absl::StrCat("your upload (all ", file_.size(),
                             " bytes, but not committed before the deadline) was discarded")),
            absl::string_view::npos)
      << again.status();
  EXPECT_EQ(again.status().message().find("partial"), absl::string_view::npos) << again.status();
}

TEST_F(BidAppTest, AResumedUploadHashesWhatTheEarlierStreamStored) {
  const v1::UploadStart start = Start();
  for (size_t at = 0; at < file_.size(); at += 20000) {  // one stream per chunk
    auto up = bids_->Begin(bidder_, start);
    ASSERT_TRUE(up.ok()) << up.status();
    v1::UploadChunk c;
    c.set_offset(at);
    c.set_data(file_.substr(at, 20000));
    ASSERT_TRUE(bids_->Chunk(**up, c).ok()) << at;
  }
  auto up = bids_->Begin(bidder_, start);
  ASSERT_TRUE(up.ok()) << up.status();
  auto receipt = bids_->Commit(**up, Commit());
  EXPECT_TRUE(receipt.ok()) << receipt.status();
}

}  // namespace
}  // namespace bidopen::testing
