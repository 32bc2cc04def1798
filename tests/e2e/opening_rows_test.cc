// The opener decides from the log, not from the query rows the application
// role can write (docs/threat-model.md "Query rows are trusted by the
// server"): a database administrator who deletes or edits `bid_states` rows
// changes no start, release or verdict, and the log still verifies and
// replays to what the server shows. And a decryption attempt whose commit
// failed is tried again by the server's next round, with no new release.
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/match.h"
#include "bidopen/fold/state.pb.h"
#include "core/opening/fold.h"
#include "core/opening/time_text.h"
#include "server/store/pg.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

const std::map<std::string, std::string> kPrices = {
    {"bidder1", "8123.45"}, {"bidder2", "9234.56"}, {"bidder3", "7345.67"}};

class OpeningRowsTest : public OpeningTest {
 protected:
  // The seq of `who`'s bid, as its bidder reads it back.
  uint64_t BidSeq(const std::string& id, const std::string& who) {
    const uint64_t seq = MyBidSeq(id, who);  // remembered for its signed release
    EXPECT_NE(seq, 0u) << who;
    return seq;
  }

  // bidder1-3 register and submit at kPrices in a BIDDER lot with `window`:
  // the tender, each bidder's secret and each bid's seq.
  struct ThreeBids {
    std::string id;
    std::map<std::string, std::string> secrets;
    std::map<std::string, uint64_t> seqs;
  };
  ThreeBids SubmitThree(const std::string& window) {
    for (const char* who : {"bidder1", "bidder2", "bidder3"}) RegisterKey(who);
    ThreeBids out;
    out.id = ShortTender("BIDDER", absl::Seconds(12), window);
    SubmitAndReadHeaders(out.id, kPrices, &out.secrets);
    for (const auto& [who, price] : kPrices) out.seqs[who] = BidSeq(out.id, who);
    return out;
  }

  // As the cluster's superuser (a DBA): runs `sql` with `params`.
  void AsDba(const std::string& sql, const store::Params& params = {}) {
    auto conn = store::Conn::Open(db_.conninfo());
    ASSERT_TRUE(conn.ok()) << conn.status();
    auto r = (*conn)->Query(sql, params);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status();
  }

  // As a DBA: rewrites the bid's bid_states row with `edit` applied.
  void EditBidRow(uint64_t seq, const std::function<void(fold::Bid*)>& edit) {
    auto conn = store::Conn::Open(db_.conninfo());
    ASSERT_TRUE(conn.ok()) << conn.status();
    auto row = (*conn)->Query("SELECT state FROM bid_states WHERE seq = $1",
                              store::Params().Int(static_cast<int64_t>(seq)));
    ASSERT_TRUE(row.ok()) << row.status();
    ASSERT_EQ(row->rows(), 1);
    fold::Bid bid;
    ASSERT_TRUE(bid.ParseFromString(std::string(row->Bytes(0, 0))));
    edit(&bid);
    auto updated = (*conn)->Query(
        "UPDATE bid_states SET state = $1 WHERE seq = $2",
        store::Params().Bytes(bid.SerializeAsString()).Int(static_cast<int64_t>(seq)));
    ASSERT_TRUE(updated.ok()) << updated.status();
  }
};

// Before the start a DBA deletes bidder3's bid_states row: the start still
// lists and reveals the lot's three live bids (it listed the rows' two, which
// the fold then refused as DATA_LOSS).
TEST_F(OpeningRowsTest, ADeletedBidRowChangesNotTheBidsTheStartLists) {
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) RegisterKey(who);
  const std::string id = ShortTender("BIDDER", absl::Seconds(12), "30s");
  for (const auto& [who, price] : kPrices) Submit(id, who, price);
  const uint64_t third = BidSeq(id, "bidder3");
  WaitForOpeningTime();
  AsDba("DELETE FROM bid_states WHERE seq = $1", store::Params().Int(static_cast<int64_t>(third)));
  v1::OpeningStatus started;
  grpc::Status st = Start(id, &started);
  ASSERT_TRUE(st.ok()) << st.error_message() << "\n" << ServerLog();
  EXPECT_EQ(started.lot_state().opening().bids(), 3u) << "the log's live bids, not the rows'";
  EXPECT_EQ(started.lot_state().opening().revealed(), 3u);
  EXPECT_EQ(started.status(), v1::LOT_STATUS_DECRYPTING);
  const std::vector<v1::Event> events = Events(id);
  ASSERT_EQ(CountOf(events, v1::Event::kOpeningStarted), 1);
  for (const v1::Event& e : events) {
    if (e.has_opening_started()) {
      EXPECT_EQ(e.opening_started().bids_size(), 3);
    }
  }
}

// During the window a DBA makes bidder1's row say its key was released and
// accepted already (the release answered "already" and recorded nothing), and
// deletes bidder2's row (the release refused "you have no bid revealed").
// Every real release is still accepted and recorded, every bid opens with its
// own values, and the log verifies and folds to what the server shows.
TEST_F(OpeningRowsTest, EditedBidRowsChangeNoReleaseNorVerdict) {
  auto [id, secrets, seqs] = SubmitThree("30s");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());

  EditBidRow(seqs["bidder1"], [](fold::Bid* bid) {
    bid->mutable_opening()->set_bidder_released(true);
    bid->mutable_opening()->set_bidder_attempts(1);
    bid->mutable_opening()->set_bidder_release_seq(1);
  });
  AsDba("DELETE FROM bid_states WHERE seq = $1",
        store::Params().Int(static_cast<int64_t>(seqs["bidder2"])));
  for (const auto& [who, secret] : secrets) {
    v1::ReleaseResult r;
    grpc::Status released = ReleaseBidder(id, who, secret, &r);
    ASSERT_TRUE(released.ok()) << who << ": " << released.error_message();
    EXPECT_TRUE(r.accepted()) << who << ": " << r.message();
    EXPECT_FALSE(r.already()) << who << ": " << r.message();
    EXPECT_GT(r.seq(), 0u) << who << ": the release is recorded";
  }
  WaitOpened(id, 3);
  v1::OpeningStatus ended;
  ASSERT_TRUE(End(id, &ended).ok()) << ServerLog();
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  for (const auto& [who, price] : kPrices) {
    const v1::BidEntry* b = nullptr;
    for (const v1::BidEntry& e : ended.lot_state().bids())
      if (e.seq() == seqs[who]) b = &e;
    ASSERT_NE(b, nullptr) << who;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << who << ": " << b->opening().verdict();
    ASSERT_GE(b->opening().values_size(), 1) << who;
    EXPECT_EQ(b->opening().values(0).value(), price) << who;
    EXPECT_TRUE(b->opening().bidder_released()) << who;
    EXPECT_EQ(b->opening().bidder_attempts(), 1u) << who;
  }

  // The log: one accepted release per bidder, one DECRYPTED verdict per bid;
  // folded by the auditor's fold, it says what the server shows.
  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kKeyReleased), 3);
  auto replayed = FoldTender(events);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  for (const auto& [who, seq] : seqs) {
    ASSERT_TRUE(replayed->bids.contains(seq)) << who;
    EXPECT_EQ(replayed->bids.at(seq).status(), v1::BID_STATUS_DECRYPTED) << who;
  }
  EXPECT_EQ(replayed->tender.lots(0).opening().decrypted(), 3u);
  const std::string bundle = dir_.path() + "/bundle.json";
  CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", id, "-o", bundle});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_PRED2(Has, verify.out, absl::StrCat("OK: ", events.size(), " events verified"));
}

// The commit of a decryption attempt fails (the application role may not
// write opened_bids for a while): the server's next round tries the bid again
// by itself once it can, with no new release (it used to wait for one).
TEST_F(OpeningRowsTest, AnAttemptWhoseCommitFailedIsTriedAgainWithoutANewRelease) {
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) RegisterKey(who);
  const std::string id = ShortTender("BIDDER", absl::Seconds(12), "30s");
  std::map<std::string, std::string> secrets;
  SubmitAndReadHeaders(id, {{"bidder1", "100.00"}, {"bidder2", "200.00"}, {"bidder3", "300.00"}},
                       &secrets);
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  AsDba("REVOKE INSERT ON opened_bids FROM bidopen_app");
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", secrets["bidder1"], &r).ok());
  ASSERT_TRUE(r.accepted()) << r.message();
  for (int i = 0; i < 100 && !absl::StrContains(ServerLog(), "opened_bids"); ++i)
    absl::SleepFor(absl::Milliseconds(100));
  ASSERT_TRUE(absl::StrContains(ServerLog(), "opened_bids")) << "the attempt's commit failed\n"
                                                             << ServerLog();
  EXPECT_EQ(Status(id).lot_state().opening().opened(), 0u);
  AsDba("GRANT INSERT ON opened_bids TO bidopen_app");
  WaitOpened(id, 1);
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 1) << "no other release came";
}

// Review 3 F8: a release row lost after the bid opened no longer fails that
// bid as the platform's fault (which the operator could choose after reading
// the values). A DBA deletes bidder1's release row during the window, after
// its bid opened: at the window's end no verdict is given, GetOpening names
// the missing release, the agency's end is refused saying why; bidder1 re-runs
// `bidctl opening decrypt` after the window, which re-supplies it (no new
// event), and the verdicts follow: every bid DECRYPTED with its value.
TEST_F(OpeningRowsTest, ALostReleaseGivesNoVerdictUntilItsReleaserResuppliesIt) {
  auto [id, secrets, seqs] = SubmitThree("15s");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  std::map<std::string, uint64_t> released;
  for (const auto& [who, secret] : secrets) {
    v1::ReleaseResult r;
    ASSERT_TRUE(ReleaseBidder(id, who, secret, &r).ok()) << who;
    ASSERT_TRUE(r.accepted()) << who << ": " << r.message();
    released[who] = r.seq();
  }
  WaitOpened(id, 3);
  AsDba("DELETE FROM releases WHERE seq = $1",
        store::Params().Int(static_cast<int64_t>(released["bidder1"])));
  const absl::Time end = FromProto(Status(id).lot_state().opening().window_end());
  while (absl::Now() < end + absl::Seconds(3)) absl::SleepFor(absl::Milliseconds(200));

  v1::OpeningStatus waiting = Status(id);
  EXPECT_EQ(waiting.status(), v1::LOT_STATUS_DECRYPTING) << ServerLog();
  EXPECT_FALSE(waiting.lot_state().opening().has_ended());
  ASSERT_EQ(waiting.missing_releases_size(), 1) << waiting.DebugString();
  EXPECT_EQ(waiting.missing_releases(0).seq(), released["bidder1"]);
  EXPECT_EQ(waiting.missing_releases(0).kind(), v1::RELEASE_KIND_BIDDER);
  EXPECT_EQ(waiting.missing_releases(0).bid(), seqs["bidder1"]);
  EXPECT_EQ(waiting.missing_releases(0).releaser(), Fingerprint("bidder1"));
  EXPECT_EQ(CountOf(Events(id), v1::Event::kBidVerdict), 0) << "no verdict while a release is lost";
  EXPECT_TRUE(absl::StrContains(ServerLog(), "the verdicts wait")) << ServerLog();
  v1::OpeningStatus refused;
  grpc::Status end_now = End(id, &refused);
  EXPECT_EQ(end_now.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << end_now.error_message();
  EXPECT_TRUE(absl::StrContains(end_now.error_message(), "re-supplies it"))
      << end_now.error_message();

  CommandResult again = Bidctl("bidder1", {"opening", "decrypt", id + "/1"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(absl::StrContains(again.out, "re-supplied")) << again.out;
  const v1::OpeningStatus ended = WaitEnded(id);
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 3u);
  EXPECT_EQ(ended.missing_releases_size(), 0);
  for (const auto& [who, price] : kPrices) {
    const v1::BidEntry* b = nullptr;
    for (const v1::BidEntry& e : ended.lot_state().bids())
      if (e.seq() == seqs[who]) b = &e;
    ASSERT_NE(b, nullptr) << who;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << who << ": " << b->opening().verdict();
    ASSERT_GE(b->opening().values_size(), 1) << who;
    EXPECT_EQ(b->opening().values(0).value(), price) << who;
  }
  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kKeyReleased), 3) << "re-supplying appends nothing";
  auto replayed = FoldTender(events);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->tender.lots(0).opening().decrypted(), 3u);
}

// The start's check of the stored files (docs/protocol.md "Starting"). A DBA
// flips the last byte of bidder2's stored file before the start: the reveal
// says it does not match, and the bid fails as the platform's (withdrawn),
// unread. It flips bidder1's after the start, before the release (as an
// operator holding the release would after reading it): the read fails, no
// verdict is given while it differs (GetOpening names the bid, the log says
// why), and once restored the bid is DECRYPTED with its value.
TEST_F(OpeningRowsTest, AStoredFileAlteredBeforeTheStartFailsItAlteredAfterHoldsTheVerdicts) {
  auto [id, secrets, seqs] = SubmitThree("15s");
  auto flip = [&](const std::string& who) {
    AsDba(
        "UPDATE bid_chunks SET data = set_byte(data, length(data) - 1,"
        "   get_byte(data, length(data) - 1) # 1)"
        " WHERE upload_id = (SELECT upload_id FROM bids WHERE seq = $1)"
        "   AND pos = (SELECT max(c.pos) FROM bid_chunks c"
        "              WHERE c.upload_id = (SELECT upload_id FROM bids WHERE seq = $1))",
        store::Params().Int(static_cast<int64_t>(seqs[who])));
  };
  flip("bidder2");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  for (const v1::Event& e : Events(id)) {
    if (!e.has_bid_revealed()) continue;
    const v1::BidRevealed& r = e.bid_revealed();
    ASSERT_TRUE(r.has_stored_matches()) << r.bid();
    EXPECT_EQ(r.stored_matches(), r.bid() != seqs["bidder2"]) << r.bid();
    EXPECT_EQ(r.stored_sha256().empty(), r.bid() != seqs["bidder2"]) << r.bid();
  }
  flip("bidder1");
  WaitForReleasesBegin(id);  // bidder2's file was found altered: no key before
  for (const auto& [who, secret] : secrets) {
    v1::ReleaseResult r;
    ASSERT_TRUE(ReleaseBidder(id, who, secret, &r).ok()) << who;
    ASSERT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  WaitOpened(id, 1);
  const absl::Time end = FromProto(Status(id).lot_state().opening().window_end());
  while (absl::Now() < end + absl::Seconds(3)) absl::SleepFor(absl::Milliseconds(200));

  v1::OpeningStatus waiting = Status(id);
  EXPECT_EQ(waiting.status(), v1::LOT_STATUS_DECRYPTING) << ServerLog();
  EXPECT_EQ(waiting.lot_state().opening().opened(), 1u);
  ASSERT_EQ(waiting.changed_files_size(), 1) << waiting.DebugString();
  EXPECT_EQ(waiting.changed_files(0), seqs["bidder1"]);
  EXPECT_EQ(CountOf(Events(id), v1::Event::kBidVerdict), 0) << "no verdict while a file differs";
  EXPECT_TRUE(absl::StrContains(ServerLog(), "stored file changed since the start")) << ServerLog();

  flip("bidder1");  // restored
  const v1::OpeningStatus ended = WaitEnded(id);
  EXPECT_EQ(ended.changed_files_size(), 0);
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 2u);
  for (const auto& [who, price] : kPrices) {
    const v1::BidEntry* b = nullptr;
    for (const v1::BidEntry& e : ended.lot_state().bids())
      if (e.seq() == seqs[who]) b = &e;
    ASSERT_NE(b, nullptr) << who;
    if (who == "bidder2") {
      EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPT_FAILED) << b->opening().verdict();
      EXPECT_EQ(b->opening().fault(), v1::FAULT_PLATFORM) << b->opening().verdict();
      EXPECT_EQ(b->opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
      EXPECT_TRUE(absl::StrContains(b->opening().verdict(), "when the opening started"))
          << b->opening().verdict();
      continue;
    }
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << who << ": " << b->opening().verdict();
    ASSERT_GE(b->opening().values_size(), 1) << who;
    EXPECT_EQ(b->opening().values(0).value(), price) << who;
  }
  auto replayed = FoldTender(Events(id));
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->tender.lots(0).opening().decrypted(), 2u);
}

// Review 3 F9, the PoC turned around: the application role alone inserts
// `releases` rows ahead of the log (at the next 200 seqs, for this very lot).
// A release still goes through and is logged, the server alarms on stderr,
// and the bid opens from the server's own row, not the planted one.
TEST_F(OpeningRowsTest, ReleaseRowsWrittenAheadOfTheLogCensorNoRelease) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(12), "60s");
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.50");
  Submit(id, "bidder3", "1010");
  const std::string secret = BidderSecret(id, "bidder1");
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  Sql("SET ROLE bidopen_app; "
      "INSERT INTO releases (seq, tender_id, lot, kind, bid, share_x, releaser, accepted, sealed) "
      "SELECT s, '" +
      id +
      "', 1, 1, 0, 0, 'x', true, '\\x00'::bytea FROM generate_series("
      "(SELECT size FROM log_head), (SELECT size FROM log_head) + 200) AS s; RESET ROLE;");
  v1::ReleaseResult r;
  const grpc::Status st = ReleaseBidder(id, "bidder1", secret, &r);
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  EXPECT_TRUE(r.accepted()) << r.message();
  EXPECT_FALSE(r.already()) << r.message();
  EXPECT_EQ(CountOf(Events(id), v1::Event::kKeyReleased), 1) << "the release is logged";
  EXPECT_TRUE(absl::StrContains(ServerLog(), "ALARM")) << ServerLog();
  EXPECT_TRUE(absl::StrContains(ServerLog(), absl::StrCat("at seq ", r.seq()))) << ServerLog();
  WaitOpened(id, 1);
}

}  // namespace
}  // namespace bidopen::testing
