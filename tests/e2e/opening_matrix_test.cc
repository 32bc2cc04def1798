// Cells of docs/verdict-matrix.md through the real server: short windows, and
// the verdicts the server's own opener thread gives when the window ends (no
// EndDecryption). Also an auto-start lot, a release after the window, and what
// a bidder can read while the window is open.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "core/crypto/kdf.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

std::string PriceOf(const v1::BidEntry& b) {
  for (const v1::FormValue& v : b.opening().values())
    if (v.name() == "price") return v.value();
  return "";
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// BIDDER: bidder3 releases nothing. At the window's end the server gives the
// verdicts itself: bidder3's bid failed by its own fault (treated as revoked),
// the other two opened with their prices. While the window is open a bidder
// sees no verdict and no value, neither in the log nor in GetOpening; a
// release after the window is refused naming it.
TEST_F(OpeningTest, BidderNotReleasingIsRevokedAtWindowEndOthersOpen) {
  RegisterAll();
  const std::string id = ShortTender("BIDDER", absl::Seconds(12), "8s", {"--min-bids", "2"});
  Submit(id, "bidder1", "4711.25");
  Submit(id, "bidder2", "5822.50");
  Submit(id, "bidder3", "6933.75");
  const std::string s1 = BidderSecret(id, "bidder1");
  const std::string s2 = BidderSecret(id, "bidder2");
  const std::string s3 = BidderSecret(id, "bidder3");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseBidder(id, "bidder2", s2, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  WaitOpened(id, 2);

  // Item 4: two bids are decrypted on the server, the window still open. A
  // bidder reading the tender's log and the opening sees no verdict, no value.
  {
    SCOPED_TRACE("a bidder during the window");
    const std::vector<v1::Event> events = Events(id, "bidder1");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(CountOf(events, v1::Event::kOpeningStarted), 1);
    EXPECT_EQ(CountOf(events, v1::Event::kBidDecrypted), 2) << "both attempts are in the log";
    EXPECT_EQ(CountOf(events, v1::Event::kBidVerdict), 0);
    EXPECT_EQ(CountOf(events, v1::Event::kDecryptionEnded), 0);
    for (const v1::Event& e : events) {
      const std::string bytes = e.SerializeAsString();
      for (const char* price : {"4711.25", "5822.50", "6933.75"})
        EXPECT_FALSE(absl::StrContains(bytes, price)) << "event " << e.seq() << " holds " << price;
    }
    const v1::OpeningStatus during = Status(id, "bidder1");
    EXPECT_EQ(during.status(), v1::LOT_STATUS_DECRYPTING);
    EXPECT_FALSE(during.lot_state().opening().has_ended());
    EXPECT_EQ(during.lot_state().opening().opened(), 2u);
    for (const v1::BidEntry& b : during.lot_state().bids()) {
      EXPECT_EQ(b.opening().values_size(), 0) << "bid " << b.seq();
      EXPECT_TRUE(b.opening().values_key().empty()) << "bid " << b.seq();
      EXPECT_EQ(b.opening().verdict_seq(), 0u) << "bid " << b.seq();
      EXPECT_EQ(b.opening().fault(), v1::FAULT_UNSPECIFIED) << "bid " << b.seq();
      EXPECT_NE(b.status(), v1::BID_STATUS_DECRYPTED) << "bid " << b.seq();
    }
    const std::string shown = during.SerializeAsString();
    for (const char* price : {"4711.25", "5822.50", "6933.75"})
      EXPECT_FALSE(absl::StrContains(shown, price)) << price;
  }

  // bidder3 just after the window closed: refused, naming the window's end
  // (or, if the opener was quicker, when decryption ended).
  const absl::Time window_end = WaitForWindowEnd(id, absl::Milliseconds(20));
  absl::TimeZone tz;
  absl::LoadTimeZone("Asia/Shanghai", &tz);
  grpc::Status closed = ReleaseBidder(id, "bidder3", s3);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << closed.error_message();
  if (Has(closed.error_message(), "closed at")) {
    EXPECT_PRED2(Has, closed.error_message(), std::string("the decryption window of "));
    EXPECT_PRED2(Has, closed.error_message(),
                 "closed at " + absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", window_end, tz));
  } else
    EXPECT_PRED2(Has, closed.error_message(), std::string("ended at"));
  std::cout << "a release just after the window: " << closed.error_message() << "\n";

  // No EndDecryption: the opener ends the window itself.
  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_FALSE(ended.lot_state().opening().ended_early());
  EXPECT_GE(TimeOf(ended.lot_state().opening().ended().time()),
            TimeOf(ended.lot_state().opening().window_end()));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 2u);
  EXPECT_EQ(ended.lot_state().opening().decrypt_failed(), 1u);
  EXPECT_TRUE(ended.lot_state().opening().failure().empty())
      << ended.lot_state().opening().failure();
  const v1::BidEntry* gamma = BidOf(ended, "Gamma Builders Inc");
  ASSERT_NE(gamma, nullptr);
  EXPECT_EQ(gamma->status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(gamma->opening().fault(), v1::FAULT_BIDDER);
  EXPECT_EQ(gamma->opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_EQ(gamma->opening().values_size(), 0);
  EXPECT_FALSE(gamma->opening().verdict().empty());
  for (const char* org : {"Alpha Construction Co", "Beta Engineering Ltd"}) {
    const v1::BidEntry* b = BidOf(ended, org);
    ASSERT_NE(b, nullptr) << org;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << org;
    EXPECT_EQ(b->opening().fault(), v1::FAULT_NONE) << org;
    EXPECT_EQ(b->opening().consequence(), v1::CONSEQUENCE_NONE) << org;
  }
  EXPECT_EQ(PriceOf(*BidOf(ended, "Beta Engineering Ltd")), "5822.50");
  const std::vector<v1::Event> after = Events(id, "bidder3");
  EXPECT_EQ(CountOf(after, v1::Event::kBidVerdict), 3);
  EXPECT_EQ(CountOf(after, v1::Event::kDecryptionEnded), 1);

  // bidder3 comes too late: refused, naming when decryption ended.
  grpc::Status late = ReleaseBidder(id, "bidder3", s3);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();
  EXPECT_PRED2(Has, late.error_message(), std::string("ended at"));
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 2) << "the late release appended nothing";
}

// QUORUM 2 of 3 and only custodian1 releases: no bid can open; the custodians'
// fault (treated as withdrawn) for every bid, and the lot fails since fewer
// than the minimum (3) decrypted.
TEST_F(OpeningTest, QuorumShortOfThresholdWithdrawsEveryBidAndFailsTheLot) {
  RegisterAll();
  const std::string id = ShortTender("QUORUM", absl::Seconds(12), "8s");
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseCustodian(id, "custodian1", LotPrivateKey(id, "custodian1"), &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();

  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_FAILED);
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 0u);
  EXPECT_EQ(ended.lot_state().opening().decrypt_failed(), 3u);
  EXPECT_FALSE(ended.lot_state().opening().failure().empty());
  ASSERT_EQ(ended.lot_state().bids_size(), 3);
  for (const v1::BidEntry& b : ended.lot_state().bids()) {
    EXPECT_EQ(b.status(), v1::BID_STATUS_DECRYPT_FAILED) << b.seq();
    EXPECT_EQ(b.opening().fault(), v1::FAULT_CUSTODIANS) << b.seq();
    EXPECT_EQ(b.opening().consequence(), v1::CONSEQUENCE_WITHDRAWN) << b.seq();
    EXPECT_EQ(
        std::set<uint32_t>(b.opening().not_released().begin(), b.opening().not_released().end()),
        (std::set<uint32_t>{2, 3}))
        << b.seq();
    EXPECT_EQ(b.opening().values_size(), 0) << b.seq();
  }
  const std::vector<v1::Event> events = Events(id);
  ASSERT_EQ(CountOf(events, v1::Event::kDecryptionEnded), 1);
  for (const v1::Event& e : events)
    if (e.has_decryption_ended()) {
      EXPECT_FALSE(e.decryption_ended().failure().empty());
      EXPECT_FALSE(e.decryption_ended().early());
    }
  EXPECT_EQ(CountOf(events, v1::Event::kBidDecrypted), 0) << "nothing to decrypt with";

  // custodian2 after the window: refused, the release not recorded.
  grpc::Status late = ReleaseCustodian(id, "custodian2", LotPrivateKey(id, "custodian2"));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();
  EXPECT_TRUE(Has(late.error_message(), "failed") || Has(late.error_message(), "ended at"))
      << late.error_message();
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 1);
}

// BOTH: each bidder releases its part s_b and two of three custodians their
// keys: every bid opens, at the window's end, by the opener.
TEST_F(OpeningTest, BothWithBidderPartsAndTwoCustodiansDecryptsEveryBid) {
  RegisterAll();
  const std::string id = ShortTender("BOTH", absl::Seconds(12), "30s");
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  std::map<std::string, std::string> part;
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) part[who] = BidderSecret(id, who);
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  v1::ReleaseResult r;
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) {
    ASSERT_TRUE(ReleaseBidder(id, who, part[who], &r).ok()) << who;
    EXPECT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  // The bidder parts alone open nothing; the custodians' turn is the second
  // half of the window, so nobody holds both parts of a bid before every
  // bidder has chosen.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(Status(id).lot_state().opening().opened(), 0u);
  grpc::Status early = ReleaseCustodian(id, "custodian1", LotPrivateKey(id, "custodian1"), &r);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << early.error_message();
  EXPECT_PRED2(Has, early.error_message(),
               std::string("under policy BOTH the custodians of lot 1 of tender ") + id +
                   " release after the bidders, from ");
  // A release signed before the turn (citing a head before it) is refused
  // after the turn too: the custodian's head is what proves the turn had
  // passed when it released (docs/protocol.md "Releasing", review 3 F3).
  const v1::ReleaseLotKeyRequest pre_turn =
      CustodianRequest(id, "custodian3", LotPrivateKey(id, "custodian3"));
  WaitBiddersEnd(id);
  grpc::Status stale = SendCustodian("custodian3", pre_turn, &r);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << stale.error_message();
  EXPECT_PRED2(Has, stale.error_message(),
               std::string("having seen a signed time at or past the bidders' turn"));
  for (const char* who : {"custodian1", "custodian2"}) {
    ASSERT_TRUE(ReleaseCustodian(id, who, LotPrivateKey(id, who), &r).ok()) << who;
    EXPECT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  WaitOpened(id, 3);

  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  EXPECT_FALSE(ended.lot_state().opening().ended_early());
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  for (const v1::BidEntry& b : ended.lot_state().bids()) {
    EXPECT_EQ(b.status(), v1::BID_STATUS_DECRYPTED) << b.seq() << ": " << b.opening().verdict();
    EXPECT_EQ(b.opening().fault(), v1::FAULT_NONE) << b.seq();
    EXPECT_EQ(b.opening().consequence(), v1::CONSEQUENCE_NONE) << b.seq();
  }
  EXPECT_EQ(PriceOf(*BidOf(ended, "Alpha Construction Co")), "1000.00");
  EXPECT_EQ(PriceOf(*BidOf(ended, "Beta Engineering Ltd")), "990.50");
  EXPECT_EQ(PriceOf(*BidOf(ended, "Gamma Builders Inc")), "1010");
}

// ANY, one lot, cells (a), (d') and (f'): bidder1 releases; bidder2 and
// bidder3 do not; custodian1 releases its key, custodian2 only a wrong one,
// custodian3 nothing. bidder1's bid opens by its secret; the others have one
// usable share of two: the custodians' fault (treated as withdrawn), naming
// custodian2's wrong key and custodian3's missing one.
TEST_F(OpeningTest, AnyWithOneGoodShareWithdrawsTheBidsOfBiddersThatDidNotRelease) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "8s", {"--min-bids", "1"});
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  const std::string s1 = BidderSecret(id, "bidder1");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseCustodian(id, "custodian1", LotPrivateKey(id, "custodian1"), &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseCustodian(id, "custodian2", crypto::RandomBytes(32), &r).ok());
  EXPECT_FALSE(r.accepted());

  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 1u);
  EXPECT_EQ(ended.lot_state().opening().decrypt_failed(), 2u);
  const v1::BidEntry* alpha = BidOf(ended, "Alpha Construction Co");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->status(), v1::BID_STATUS_DECRYPTED) << alpha->opening().verdict();
  EXPECT_EQ(PriceOf(*alpha), "1000.00");
  for (const char* org : {"Beta Engineering Ltd", "Gamma Builders Inc"}) {
    const v1::BidEntry* b = BidOf(ended, org);
    ASSERT_NE(b, nullptr) << org;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPT_FAILED) << org;
    EXPECT_EQ(b->opening().fault(), v1::FAULT_CUSTODIANS) << org << ": " << b->opening().verdict();
    EXPECT_EQ(b->opening().consequence(), v1::CONSEQUENCE_WITHDRAWN) << org;
    EXPECT_EQ(
        std::vector<uint32_t>(b->opening().wrong_key().begin(), b->opening().wrong_key().end()),
        std::vector<uint32_t>{2})
        << org;
    EXPECT_EQ(std::vector<uint32_t>(b->opening().not_released().begin(),
                                    b->opening().not_released().end()),
              std::vector<uint32_t>{3})
        << org;
    EXPECT_EQ(b->opening().values_size(), 0) << org;
  }
}

// BOTH, one lot, cells (b) and (f): every custodian releases, custodian3 a
// wrong key first and then its own; bidder2 releases no part. bidder2's bid
// fails by its own fault (treated as revoked); the others open, custodian3's
// wrong key cleared by its right one.
TEST_F(OpeningTest, BothWithoutTheBidderPartIsRevokedAWrongKeyThenTheRightOneCounts) {
  RegisterAll();
  const std::string id = ShortTender("BOTH", absl::Seconds(12), "30s", {"--min-bids", "2"});
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  const std::string p1 = BidderSecret(id, "bidder1");
  const std::string p3 = BidderSecret(id, "bidder3");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", p1, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  ASSERT_TRUE(ReleaseBidder(id, "bidder3", p3, &r).ok());
  EXPECT_TRUE(r.accepted()) << r.message();
  WaitBiddersEnd(id);
  // bidder2's part after the bidders' half: refused, not recorded.
  grpc::Status late = ReleaseBidder(id, "bidder2", BidderSecret(id, "bidder2"), &r);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();
  EXPECT_PRED2(Has, late.error_message(),
               std::string("release their parts in the first half of the window"));
  ASSERT_TRUE(ReleaseCustodian(id, "custodian3", crypto::RandomBytes(32), &r).ok());
  EXPECT_FALSE(r.accepted());
  for (const char* who : {"custodian1", "custodian2", "custodian3"}) {
    ASSERT_TRUE(ReleaseCustodian(id, who, LotPrivateKey(id, who), &r).ok()) << who;
    EXPECT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  WaitOpened(id, 2);
  grpc::Status early = End(id);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << early.error_message();
  EXPECT_PRED2(Has, early.error_message(), std::string("can end early only once every bid opened"));

  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 2u);
  const v1::BidEntry* beta = BidOf(ended, "Beta Engineering Ltd");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(beta->opening().fault(), v1::FAULT_BIDDER) << beta->opening().verdict();
  EXPECT_EQ(beta->opening().consequence(), v1::CONSEQUENCE_REVOKED);
  EXPECT_EQ(beta->opening().values_size(), 0);
  for (const char* org : {"Alpha Construction Co", "Gamma Builders Inc"}) {
    const v1::BidEntry* b = BidOf(ended, org);
    ASSERT_NE(b, nullptr) << org;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << org << ": " << b->opening().verdict();
    EXPECT_EQ(b->opening().wrong_key_size(), 0) << org;
    EXPECT_EQ(b->opening().not_released_size(), 0) << org;
  }
  EXPECT_EQ(PriceOf(*BidOf(ended, "Gamma Builders Inc")), "1010");
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 6) << "2 parts, 3 keys, 1 wrong key";
}

// A lot created with auto_start (through bidctl's --spec, the JSON of the
// CreateTenderRequest bidctl sends) starts itself at its opening time: no
// agency call; the server is the OpeningStarted event's actor.
TEST_F(OpeningTest, AutoStartLotStartsItselfWithTheServerAsActor) {
  RegisterKey("bidder1");
  const std::string id = AutoStartTender(absl::Seconds(8), "8s");
  ASSERT_FALSE(id.empty());
  Submit(id, "bidder1", "777.00");
  const std::string s1 = BidderSecret(id, "bidder1");
  EXPECT_FALSE(Status(id).lot_state().has_opening());

  v1::OpeningStatus s = Status(id);
  while (!s.lot_state().has_opening() && absl::Now() < opening_time_ + absl::Seconds(10)) {
    absl::SleepFor(absl::Milliseconds(100));
    s = Status(id);
  }
  ASSERT_TRUE(s.lot_state().has_opening()) << "did not start itself\n" << ServerLog();
  const v1::LotOpening& o = s.lot_state().opening();
  EXPECT_TRUE(o.auto_started());
  EXPECT_EQ(o.started_by().role(), v1::ROLE_UNSPECIFIED);
  EXPECT_NE(o.started_by().fingerprint(), Fingerprint("agency1"));
  EXPECT_GE(TimeOf(o.started().time()), opening_time_);
  EXPECT_LT(TimeOf(o.started().time()), opening_time_ + absl::Seconds(3));
  EXPECT_EQ(o.revealed(), 1u);
  const std::vector<v1::Event> events = Events(id);
  ASSERT_EQ(CountOf(events, v1::Event::kOpeningStarted), 1);
  for (const v1::Event& e : events)
    if (e.has_opening_started()) {
      EXPECT_TRUE(e.opening_started().auto_started());
      EXPECT_EQ(e.actor().role(), v1::ROLE_UNSPECIFIED);
      EXPECT_EQ(e.actor().fingerprint(), o.started_by().fingerprint());
    }
  grpc::Status again = Start(id);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_PRED2(Has, again.error_message(), std::string("already started at"));

  ASSERT_TRUE(ReleaseBidder(id, "bidder1", s1).ok());
  v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(30));
  EXPECT_EQ(ended.status(), v1::LOT_STATUS_CONFIRMING);  // announced with the verdicts
  ASSERT_EQ(ended.lot_state().bids_size(), 1);
  EXPECT_EQ(ended.lot_state().bids(0).status(), v1::BID_STATUS_DECRYPTED);
  EXPECT_EQ(PriceOf(ended.lot_state().bids(0)), "777.00");
}

}  // namespace
}  // namespace bidopen::testing
