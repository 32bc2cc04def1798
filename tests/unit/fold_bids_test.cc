// The fold of bid events: live, replaced and withdrawn bids by seq, the lot's
// counts, DATA_LOSS for every sequence a log cannot hold, and the server's way
// of folding (a stored row per tender and per bid, only the bids an event
// names loaded) giving the state a whole replay gives.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "absl/strings/match.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;

absl::StatusOr<TenderState> Fold(const std::vector<v1::Event>& events) {
  return FoldTender(events);
}

TEST(FoldBidsTest, ASubmittedBidIsLiveAndCounted) {
  auto t = Fold({Created(0, "T-1", 2), Submitted(1, "T-1", 2)});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->bids.size(), 1u);
  const fold::Bid& bid = t->bids.at(1);
  EXPECT_EQ(bid.lot(), 2);
  EXPECT_EQ(bid.status(), v1::BID_STATUS_LIVE);
  EXPECT_EQ(bid.bidder_commitment(), "commitment-1");
  EXPECT_EQ(bid.statement_sha256(), "statement-1");
  EXPECT_EQ(bid.size(), 1001u);
  EXPECT_EQ(FromProto(bid.received()), kT0 + absl::Minutes(1));
  EXPECT_FALSE(bid.has_replaces());
  EXPECT_EQ(bid.ended_seq(), 0u);
  EXPECT_EQ(t->tender.lots(1).bids().submitted(), 1u);
  EXPECT_EQ(t->tender.lots(1).bids().live(), 1u);
  EXPECT_EQ(t->tender.lots(0).bids().submitted(), 0u);
  EXPECT_EQ(t->tender.last_seq(), 1u);
  EXPECT_EQ(t->tender.updated().seq(), 0u);  // a bid is not a change of the tender
}

TEST(FoldBidsTest, AReplacementEndsTheEarlierBid) {
  auto t = Fold({Created(0, "T-1", 1), Submitted(1, "T-1", 1), Submitted(2, "T-1", 1),
                 Submitted(3, "T-1", 1, 1)});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->bids.at(1).status(), v1::BID_STATUS_REPLACED);
  EXPECT_EQ(t->bids.at(1).ended_seq(), 3u);
  EXPECT_EQ(t->bids.at(2).status(), v1::BID_STATUS_LIVE);
  EXPECT_EQ(t->bids.at(3).status(), v1::BID_STATUS_LIVE);
  EXPECT_EQ(t->bids.at(3).replaces(), 1u);
  const fold::BidCounts& c = t->tender.lots(0).bids();
  EXPECT_EQ(c.submitted(), 3u);
  EXPECT_EQ(c.live(), 2u);
  EXPECT_EQ(c.replaced(), 1u);
  EXPECT_EQ(c.withdrawn(), 0u);
}

TEST(FoldBidsTest, AWithdrawalEndsTheBid) {
  auto t = Fold({Created(0, "T-1", 1), Submitted(1, "T-1", 1), Withdrawn(5, "T-1", 1, 1)});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->bids.at(1).status(), v1::BID_STATUS_WITHDRAWN);
  EXPECT_EQ(t->bids.at(1).ended_seq(), 5u);
  EXPECT_EQ(t->bids.at(1).withdrawal_statement_sha256(), "withdrawal-5");
  EXPECT_EQ(t->tender.lots(0).bids().live(), 0u);
  EXPECT_EQ(t->tender.lots(0).bids().withdrawn(), 1u);
  EXPECT_EQ(t->tender.last_seq(), 5u);
}

TEST(FoldBidsTest, TheViewListsEachLotsBidsBySeq) {
  auto t = Fold({Created(0, "T-1", 2), Submitted(1, "T-1", 2), Submitted(2, "T-1", 1),
                 Submitted(3, "T-1", 2, 1), Withdrawn(4, "T-1", 1, 2)});
  ASSERT_TRUE(t.ok()) << t.status();
  v1::Tender view = TenderView(*t);
  ASSERT_EQ(view.lots(0).bids_size(), 1);
  EXPECT_EQ(view.lots(0).bids(0).seq(), 2u);
  EXPECT_EQ(view.lots(0).bids(0).status(), v1::BID_STATUS_WITHDRAWN);
  EXPECT_EQ(view.lots(0).bids(0).ended_seq(), 4u);
  ASSERT_EQ(view.lots(1).bids_size(), 2);
  EXPECT_EQ(view.lots(1).bids(0).status(), v1::BID_STATUS_REPLACED);
  EXPECT_EQ(view.lots(1).bids(1).seq(), 3u);
  EXPECT_EQ(view.lots(1).bids(1).replaces(), 1u);
  EXPECT_EQ(view.lots(1).bids(1).status(), v1::BID_STATUS_LIVE);
}

TEST(FoldBidsTest, AnEventChangesOnlyTheTenderRowAndTheBidsItNames) {
  TenderState s;
  for (const v1::Event& e : {Created(0, "T-1", 1), Submitted(1, "T-1", 1), Submitted(2, "T-1", 1)})
    ASSERT_TRUE(ApplyEvent(e, {.tender = &s}).ok());
  auto changes = ApplyEvent(Submitted(3, "T-1", 1, 2), {.tender = &s});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_TRUE(changes->tender);
  EXPECT_EQ(changes->bids, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(BidsNamed(Submitted(3, "T-1", 1, 2)), (std::vector<uint64_t>{2}));
  EXPECT_EQ(BidsNamed(Withdrawn(4, "T-1", 1, 3)), (std::vector<uint64_t>{3}));
  EXPECT_TRUE(BidsNamed(Submitted(4, "T-1", 1)).empty());
  EXPECT_TRUE(BidsNamed(Created(9, "T-2", 1)).empty());
}

struct Illegal {
  const char* name;
  std::vector<v1::Event> events;
  std::vector<std::string> message;
};

class IllegalBidSequenceTest : public ::testing::TestWithParam<Illegal> {};

TEST_P(IllegalBidSequenceTest, IsDataLossNamingTheSeq) {
  auto folded = Fold(GetParam().events);
  ASSERT_FALSE(folded.ok());
  EXPECT_TRUE(StatusIs(folded.status(), absl::StatusCode::kDataLoss, {}));
  for (const std::string& part : GetParam().message)
    EXPECT_TRUE(absl::StrContains(folded.status().message(), part))
        << "\"" << part << "\" not in: " << folded.status();
}

const int kAfterDeadline = 7 * 24 * 60;  // minutes from kT0: the lots' deadline

INSTANTIATE_TEST_SUITE_P(
    All, IllegalBidSequenceTest,
    ::testing::Values(
        Illegal{"BeforeCreation", {Submitted(0, "T-1", 1)}, {"event 0", "before the tender"}},
        Illegal{
            "NoSuchLot", {Created(0, "T-1", 1), Submitted(1, "T-1", 2)}, {"event 1", "no lot 2"}},
        Illegal{"AtTheDeadline",
                {Created(0, "T-1", 1), Submitted(kAfterDeadline, "T-1", 1)},
                {"event 10080", "submission deadline", "passed"}},
        Illegal{"InACancelledLot",
                {Created(0, "T-1", 2), Cancelled(1, "T-1", 1, "x"), Submitted(2, "T-1", 1)},
                {"event 2", "cancelled"}},
        Illegal{"InACancelledTender",
                {Created(0, "T-1", 2), Cancelled(1, "T-1", 0, "x"), Submitted(2, "T-1", 2)},
                {"event 2", "cancelled"}},
        Illegal{"ReplacesNoBid",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1, 7)},
                {"event 1", "names bid 7, which is not an earlier bid"}},
        Illegal{"ReplacesItself",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1, 1)},
                {"event 1", "names bid 1, which is not an earlier bid"}},
        Illegal{"ReplacesTheTendersCreation",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1, 0)},
                {"event 1", "names bid 0"}},
        Illegal{"ReplacesAReplacedBid",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1), Submitted(2, "T-1", 1, 1),
                 Submitted(3, "T-1", 1, 1)},
                {"event 3", "names bid 1, which already ended at 2"}},
        Illegal{"ReplacesABidOfAnotherLot",
                {Created(0, "T-1", 2), Submitted(1, "T-1", 1), Submitted(2, "T-1", 2, 1)},
                {"event 2", "names bid 1 of lot 1 in lot 2"}},
        Illegal{"WithdrawsTwice",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1), Withdrawn(2, "T-1", 1, 1),
                 Withdrawn(3, "T-1", 1, 1)},
                {"event 3", "already ended at 2"}},
        Illegal{"WithdrawsAReplacedBid",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1), Submitted(2, "T-1", 1, 1),
                 Withdrawn(3, "T-1", 1, 1)},
                {"event 3", "already ended at 2"}},
        Illegal{"WithdrawsAfterTheDeadline",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1),
                 Withdrawn(kAfterDeadline + 5, "T-1", 1, 1)},
                {"event 10085", "submission deadline"}},
        Illegal{"WithdrawsNothing",
                {Created(0, "T-1", 1), Withdrawn(1, "T-1", 1, 0)},
                {"event 1", "names bid 0, which is not an earlier bid"}},
        Illegal{"SubmittedTwice",
                {Created(0, "T-1", 1), Submitted(1, "T-1", 1), Submitted(1, "T-1", 1)},
                {"event 1", "submitted twice"}},
        Illegal{
            "NoBody", {Created(0, "T-1", 1), EventOf(1, "T-1")}, {"event 1", "without a body"}}),
    [](const ::testing::TestParamInfo<Illegal>& info) { return std::string(info.param.name); });

// --- The server's way: rows, and only the named bids loaded ---------------

// What the query tables hold: the tender row and one row per bid, as bytes.
struct Rows {
  std::string tender;
  std::map<uint64_t, std::string> bids;
  std::map<std::string, uint64_t> statements;
  bool operator==(const Rows&) const = default;
};

Rows RowsOf(const TenderState& s) {
  Rows rows{s.tender.SerializeAsString(), {}, s.statements};
  for (const auto& [seq, bid] : s.bids) rows.bids[seq] = bid.SerializeAsString();
  return rows;
}

// The state read back from its rows, as the server would after a restart.
TenderState StateOf(const Rows& rows) {
  TenderState s;
  EXPECT_TRUE(s.tender.ParseFromString(rows.tender));
  for (const auto& [seq, bytes] : rows.bids) EXPECT_TRUE(s.bids[seq].ParseFromString(bytes));
  s.statements = rows.statements;
  return s;
}

// Applies `e` as Projector::Apply does: the tender row and the named bid rows
// loaded, the changed rows written back.
void ApplyAsServer(const v1::Event& e, Rows* rows) {
  TenderState s;
  if (!e.has_tender_created()) {
    ASSERT_TRUE(s.tender.ParseFromString(rows->tender));
  }
  for (uint64_t seq : BidsNamed(e)) {
    if (rows->bids.contains(seq)) {
      ASSERT_TRUE(s.bids[seq].ParseFromString(rows->bids.at(seq)));
    }
  }
  for (const std::string& hash : StatementsNamed(e))
    if (rows->statements.contains(hash)) s.statements[hash] = rows->statements.at(hash);
  auto changes = ApplyEvent(e, {.tender = &s});
  ASSERT_TRUE(changes.ok()) << changes.status();
  if (changes->tender) rows->tender = s.tender.SerializeAsString();
  for (uint64_t seq : changes->bids) rows->bids[seq] = s.bids.at(seq).SerializeAsString();
  for (const std::string& hash : changes->statements)
    rows->statements[hash] = s.statements.at(hash);
}

// A legal random history: bidders submit, replace and withdraw; the agency
// amends and cancels lots now and then.
std::vector<v1::Event> RandomHistory(std::mt19937& rng, int length) {
  const int lots = 1 + static_cast<int>(rng() % 3);
  std::vector<v1::Event> events = {Created(0, "T-1", lots)};
  std::map<std::pair<int, int>, uint64_t> live;  // (lot, bidder) -> seq
  std::vector<bool> cancelled(lots + 1, false);
  auto all_cancelled = [&] {
    return std::count(cancelled.begin() + 1, cancelled.end(), true) == lots;
  };
  for (uint64_t seq = 1; static_cast<int>(events.size()) < length && !all_cancelled(); ++seq) {
    const int lot = 1 + static_cast<int>(rng() % lots);
    const int bidder = static_cast<int>(rng() % 5);
    const int dice = static_cast<int>(rng() % 20);
    auto it = live.find({lot, bidder});
    const bool has_live = it != live.end();
    if (dice == 0 && !cancelled[lot]) {  // earlier or later, never before now
      events.push_back(Amended(seq, "T-1", lot, absl::Hours(static_cast<int>(rng() % 50) - 2)));
    } else if (dice == 1 && !cancelled[lot] && seq > static_cast<uint64_t>(length) / 2) {
      events.push_back(Cancelled(seq, "T-1", lot, "late change"));
      cancelled[lot] = true;
    } else if (cancelled[lot]) {
      continue;
    } else if (has_live && dice < 6) {
      events.push_back(Withdrawn(seq, "T-1", lot, it->second));
      live.erase(it);
    } else {
      std::optional<uint64_t> replaces;
      if (has_live) replaces = it->second;
      events.push_back(Submitted(seq, "T-1", lot, replaces));
      live[{lot, bidder}] = seq;
    }
  }
  return events;
}

TEST(FoldPropertyTest, AnyPrefixThenTheRestEqualsTheWholeAndTheServersRowsEqualTheReplay) {
  std::mt19937 rng(20261201);
  for (int round = 0; round < 200; ++round) {
    const std::vector<v1::Event> events = RandomHistory(rng, 2 + static_cast<int>(rng() % 60));
    auto whole = FoldTender(events);
    ASSERT_TRUE(whole.ok()) << whole.status();
    const size_t cut = rng() % (events.size() + 1);
    TenderState s;
    for (size_t i = 0; i < cut; ++i) ASSERT_TRUE(ApplyEvent(events[i], {.tender = &s}).ok());
    TenderState resumed = cut == 0 ? s : StateOf(RowsOf(s));  // stored, then read back
    for (size_t i = cut; i < events.size(); ++i)
      ASSERT_TRUE(ApplyEvent(events[i], {.tender = &resumed}).ok());
    EXPECT_EQ(RowsOf(resumed), RowsOf(*whole)) << "round " << round << " cut " << cut;
    Rows rows;
    for (const v1::Event& e : events) ApplyAsServer(e, &rows);
    EXPECT_EQ(rows, RowsOf(*whole)) << "round " << round;
  }
}

}  // namespace
}  // namespace bidopen
