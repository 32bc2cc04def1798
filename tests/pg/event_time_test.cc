// Event time only moves forward (issue 10 item 5): a wall clock stepped back
// or forward beyond --max-clock-step stops writes instead of issuing receipts;
// a replica whose clock lags the log writes no earlier time, and deadlines are
// judged against that time.
#include "tests/pg/bid_app_fixture.h"
#include "tests/unit/assertions.h"

namespace bidopen::testing {
namespace {

constexpr absl::StatusCode kUnavailable = absl::StatusCode::kUnavailable;
constexpr absl::StatusCode kLate = absl::StatusCode::kFailedPrecondition;

class EventTimeTest : public BidAppTest {
 protected:
  std::vector<v1::Event> Events() {
    auto events = store::EventLog::ReadRange(*Conn(), 0, *log_->Size());
    EXPECT_TRUE(events.ok()) << events.status();
    return *std::move(events);
  }

  // Another bidopend on the same database, with its own clock and tree.
  struct Replica {
    Replica(store::Pool& pool, absl::Time now, const audit::HeadSigner& signer)
        : clock(now),
          log(pool, clock, tree),
          bids(pool, log, signer, app::UploadLimits{uint64_t{1} << 30, uint64_t{1} << 40}) {}
    FakeClock clock;
    store::MerkleTree tree;
    store::EventLog log;
    app::BidApp bids;
  };
};

TEST_F(EventTimeTest, ACommitWithTheClockSteppedBack60sAtTheDeadlineIsRefused) {
  auto up = Uploaded();
  const uint64_t size_before = *log_->Size();
  clock_.Advance(Deadline() - clock_.Now() + absl::Seconds(1));  // one second late
  clock_.StepWall(absl::Seconds(-60));  // the wall clock says 59 s before the deadline
  EXPECT_TRUE(StatusIs(bids_->Commit(*up, Commit()), kUnavailable,
                       {"wall clock was set back by 1 min against its monotonic clock",
                        "--max-clock-step is 5.000 s",
                        "no receipt is issued, until an operator sets the server's clock right"}));
  EXPECT_EQ(*log_->Size(), size_before);
  clock_.StepWall(absl::Seconds(60));  // the operator sets it right: late is late
  up.reset();                          // the refused stream ended; the bidder tries again
  EXPECT_TRUE(StatusIs(bids_->Begin(bidder_, Start()), kLate, {"passed 1.000 s ago"}));
  EXPECT_EQ(*log_->Size(), size_before);
}

TEST_F(EventTimeTest, AClockSteppedForwardBeyondTheBoundRefusesWritesAndDiscardsNothing) {
  UploadFirst(1000);
  const absl::Duration step = Deadline() - clock_.Now() + app::BidApp::kDiscardGrace;
  clock_.StepWall(step + absl::Seconds(1));
  EXPECT_TRUE(StatusIs(bids_->DiscardLate(), kUnavailable, {"was set forward by 1 h"}));
  EXPECT_TRUE(StatusIs(bids_->Begin(bidder_, Start()), kUnavailable, {"set forward"}));
  clock_.StepWall(-step - absl::Seconds(1));  // set right: the partial upload is still there
  EXPECT_EQ(*bids_->DiscardLate(), 0);
  auto resumed = bids_->Begin(bidder_, Start());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->row().received, 1000u);
}

TEST_F(EventTimeTest, StepsWithinTheBoundNeverMakeAnEarlierEvent) {
  clock_.Advance(absl::Minutes(1));
  MakeTender();
  clock_.StepWall(absl::Seconds(-4));  // NTP-sized, under the 5 s bound
  auto receipt = bids_->Commit(*Uploaded(), Commit());
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(FromProto(events[2].time()), FromProto(events[1].time()));
  EXPECT_GT(FromProto(events[1].time()), FromProto(events[0].time()));
}

TEST_F(EventTimeTest, AReplicaWhoseClockLagsTheLogBeyondTheBoundIsRefused) {
  Replica replica(*pool_, clock_.Now() - absl::Seconds(60), *signer_);
  EXPECT_TRUE(StatusIs(replica.log.Run([](store::CommandTx&) { return absl::OkStatus(); }),
                       kUnavailable,
                       {"1 min before the log's last event", "another replica's is wrong"}));
}

TEST_F(EventTimeTest, AReplicaWhoseClockLagsJudgesTheDeadlineByTheLogsTime) {
  auto up = Uploaded();
  clock_.Advance(Deadline() - clock_.Now() + absl::Seconds(1));
  MakeTender();  // this server appends an event one second after the deadline...
  const uint64_t size_before = *log_->Size();
  // ...and a replica whose clock is 3 s behind (within the bound) takes the commit.
  Replica replica(*pool_, clock_.Now() - absl::Seconds(3), *signer_);
  EXPECT_TRUE(StatusIs(replica.bids.Commit(*up, Commit()), kLate, {"passed 1.000 s ago"}));
  EXPECT_EQ(*log_->Size(), size_before);
}

}  // namespace
}  // namespace bidopen::testing
