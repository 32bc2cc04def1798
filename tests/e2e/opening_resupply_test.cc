// Review 4 R5 and R7 end to end, against a real bidopend and PostgreSQL.
// R5: a DBA alters two stored files before the opening's start; bidder2 puts
// its sealed file back with `bidctl opening resupply` and its bid opens with
// its value; bidder3 does not, and its bid stays the platform's fault, the
// reason saying it could have. R7: the operator revokes a bidder's
// certificate after the deadline, before it released under BIDDER: the
// verdict is the platform's (withdrawn), naming the revocation. The logs
// verify (`audit verify`, the whole log for R7).
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/match.h"
#include "bidopen/fold/state.pb.h"
#include "core/crypto/certificate.h"
#include "core/opening/fold.h"
#include "core/opening/time_text.h"
#include "server/store/pg.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) { return absl::StrContains(text, part); }

const std::map<std::string, std::string> kPrices = {
    {"bidder1", "8123.45"}, {"bidder2", "9234.56"}, {"bidder3", "7345.67"}};

class ResupplyTest : public OpeningTest {
 protected:
  // As the cluster's superuser (a DBA): flips the last byte of `seq`'s
  // stored file as submitted.
  void FlipStoredFile(uint64_t seq) {
    auto conn = store::Conn::Open(db_.conninfo());
    ASSERT_TRUE(conn.ok()) << conn.status();
    auto r = (*conn)->Query(
        "UPDATE bid_chunks SET data = set_byte(data, length(data) - 1,"
        "   get_byte(data, length(data) - 1) # 1)"
        " WHERE upload_id = (SELECT upload_id FROM bids WHERE seq = $1)"
        "   AND pos = (SELECT max(c.pos) FROM bid_chunks c"
        "              WHERE c.upload_id = (SELECT upload_id FROM bids WHERE seq = $1))",
        store::Params().Int(static_cast<int64_t>(seq)));
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // The three bidders' sealed files, kept secrets and bid seqs.
  struct Submitted {
    std::map<std::string, std::string> files, secrets;
    std::map<std::string, uint64_t> seqs;
  };
  Submitted SubmitPriced(const std::string& id) {
    Submitted s;
    for (const auto& [who, price] : kPrices) s.files[who] = Submit(id, who, price);
    for (const auto& [who, price] : kPrices) {
      s.secrets[who] = BidderSecret(id, who);
      s.seqs[who] = MyBidSeq(id, who);
    }
    return s;
  }

  const v1::BidEntry* EntryOf(const v1::OpeningStatus& s, uint64_t seq) {
    for (const v1::BidEntry& e : s.lot_state().bids())
      if (e.seq() == seq) return &e;
    return nullptr;
  }

  void ExpectVerifies(const std::string& what) {
    const std::string bundle = dir_.path() + "/bundle-" + what + ".json";
    CommandResult fetched = Bidctl("auditor1", {"audit", "fetch", what, "-o", bundle});
    ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
    CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }
};

TEST_F(ResupplyTest, AFileAlteredBeforeTheStartOpensOnceItsBidderPutsItBack) {
  for (const auto& [who, price] : kPrices) RegisterKey(who);
  // A 60 s window: a re-supply period of 10 s (window / 6).
  const std::string id = ShortTender("BIDDER", absl::Seconds(12), "60s");
  const std::string lot = id + "/1";
  Submitted submitted = SubmitPriced(id);
  auto& [files, secrets, seqs] = submitted;
  FlipStoredFile(seqs["bidder2"]);
  FlipStoredFile(seqs["bidder3"]);
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());

  // No key is taken in the re-supply period (review 6 T1).
  v1::ReleaseResult early;
  const grpc::Status refused = ReleaseBidder(id, "bidder1", secrets["bidder1"], &early);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_TRUE(Has(refused.error_message(), "no key is released before")) << refused.error_message();
  // The bidder sees the claim, until when and how to answer it.
  CommandResult status = Bidctl("bidder2", {"opening", "status", lot});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(Has(status.out, "the opening's start found it altered")) << status.out;
  EXPECT_TRUE(Has(status.out, "re-supply period   until")) << status.out;
  EXPECT_TRUE(Has(status.out, "bidctl opening resupply " + lot + " --file SEALED")) << status.out;
  // Refused: another file than the signed one; a bid that matched.
  CommandResult wrong = Bidctl("bidder3", {"opening", "resupply", lot, "--file", files["bidder1"]});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_TRUE(Has(wrong.err, "INVALID_ARGUMENT")) << wrong.err;
  EXPECT_TRUE(Has(wrong.err, "not the sealed file you submitted")) << wrong.err;
  CommandResult matched =
      Bidctl("bidder1", {"opening", "resupply", lot, "--file", files["bidder1"]});
  EXPECT_NE(matched.exit_code, 0);
  EXPECT_TRUE(Has(matched.err, "nothing to put back")) << matched.err;
  // bidder2 puts its file back at once and releases once the period is over,
  // in one run (opening decrypt --sealed --at-open).
  CommandResult put =
      Bidctl("bidder2", {"opening", "decrypt", lot, "--sealed", files["bidder2"], "--at-open"});
  ASSERT_EQ(put.exit_code, 0) << put.out << put.err;
  const std::string bid2 = std::to_string(seqs["bidder2"]);
  EXPECT_TRUE(Has(put.out, "Released: the secret of your bid #" + bid2)) << put.out;
  EXPECT_TRUE(Has(put.out, "Put back: the sealed file of your bid #" + bid2)) << put.out;
  EXPECT_LT(put.out.find("Put back:"), put.out.find("Released:")) << put.out;
  CommandResult twice = Bidctl("bidder2", {"opening", "resupply", lot, "--file", files["bidder2"]});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_TRUE(Has(twice.err, "put back already")) << twice.err;
  // bidder3 releases without it: told what follows and how to put it back.
  CommandResult warned = Bidctl("bidder3", {"opening", "decrypt", lot});
  ASSERT_EQ(warned.exit_code, 0) << warned.out << warned.err;
  EXPECT_TRUE(Has(warned.out,
                  "WARNING: when the opening started, the server found the stored "
                  "copy of your bid #" +
                      std::to_string(seqs["bidder3"]) + " altered"))
      << warned.out;
  EXPECT_TRUE(Has(warned.out, "bidctl opening resupply " + lot + " --file SEALED")) << warned.out;
  v1::ReleaseResult r1;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", secrets["bidder1"], &r1).ok());
  ASSERT_TRUE(r1.accepted()) << r1.message();
  // After the period (and the first release), a file is no longer put back.
  CommandResult late = Bidctl("bidder3", {"opening", "resupply", lot, "--file", files["bidder3"]});
  EXPECT_NE(late.exit_code, 0);
  EXPECT_TRUE(Has(late.err, "can no longer be put back")) << late.err;
  const v1::OpeningStatus ended = WaitEnded(id);
  EXPECT_EQ(ended.lot_state().opening().decrypted(), 2u);
  for (const char* who : {"bidder1", "bidder2"}) {
    const v1::BidEntry* b = EntryOf(ended, seqs[who]);
    ASSERT_NE(b, nullptr) << who;
    EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << who << ": " << b->opening().verdict();
    ASSERT_GE(b->opening().values_size(), 1) << who;
    EXPECT_EQ(b->opening().values(0).value(), kPrices.at(who)) << who;
  }
  EXPECT_NE(EntryOf(ended, seqs["bidder2"])->opening().restored_seq(), 0u);
  const v1::BidEntry* missed = EntryOf(ended, seqs["bidder3"]);
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ(missed->status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(missed->opening().fault(), v1::FAULT_PLATFORM) << missed->opening().verdict();
  EXPECT_EQ(missed->opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_TRUE(Has(missed->opening().verdict(), "could have put the signed file back"))
      << missed->opening().verdict();

  const std::vector<v1::Event> events = Events(id);
  EXPECT_EQ(CountOf(events, v1::Event::kBidFileRestored), 1);
  auto replayed = FoldTender(events);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->tender.lots(0).opening().decrypted(), 2u);
  ExpectVerifies(id);
}

// Review 8 V2: a status forged to say DECRYPTING before the start does not
// make `decrypt --sealed --at-open` decide "nothing to put back" from a log
// without the start: it asks the verified log until the start is in it, then
// puts the file back, then releases after the re-supply period.
TEST_F(ResupplyTest, AForgedEarlyStatusDoesNotSkipPuttingTheFileBack) {
  for (const auto& [who, price] : kPrices) RegisterKey(who);
  const std::string id = ShortTender("BIDDER", absl::Seconds(15), "60s");
  const std::string lot = id + "/1";
  Submitted submitted = SubmitPriced(id);
  auto& [files, secrets, seqs] = submitted;
  FlipStoredFile(seqs["bidder2"]);
  // The lot's query row says DECRYPTING before the start (a DBA), so
  // GetOpening's unsigned status does.
  EditLotRow(id, [](fold::Lot* l) { l->set_status(v1::LOT_STATUS_DECRYPTING); });
  CommandResult victim;
  std::thread waiting([&] {
    victim =
        Bidctl("bidder2", {"opening", "decrypt", lot, "--sealed", files["bidder2"], "--at-open"});
  });
  absl::SleepFor(absl::Seconds(4));
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  waiting.join();
  ASSERT_EQ(victim.exit_code, 0) << victim.out << victim.err;
  const std::string bid2 = std::to_string(seqs["bidder2"]);
  EXPECT_TRUE(Has(victim.out, "Put back: the sealed file of your bid #" + bid2)) << victim.out;
  EXPECT_TRUE(Has(victim.out, "Released: the secret of your bid #" + bid2)) << victim.out;
  for (const char* who : {"bidder1", "bidder3"}) {
    v1::ReleaseResult r;
    ASSERT_TRUE(ReleaseBidder(id, who, secrets[who], &r).ok()) << who;
  }
  const v1::OpeningStatus ended = WaitEnded(id, absl::Seconds(120));
  const v1::BidEntry* b = EntryOf(ended, seqs["bidder2"]);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(b->opening().restored_seq(), 0u);
  EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPTED) << b->opening().verdict();
}

// Review 8 V3: under QUORUM the bidder has nothing to release, but `decrypt
// --sealed --at-open` still waits for the start and puts its file back.
TEST_F(ResupplyTest, UnderQuorumDecryptSealedPutsTheFileBack) {
  RegisterAll();
  const std::string id = ShortTender("QUORUM", absl::Seconds(15), "60s");
  const std::string lot = id + "/1";
  std::map<std::string, std::string> files;
  std::map<std::string, uint64_t> seqs;
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) files[who] = Submit(id, who, "1000.00");
  for (const char* who : {"bidder1", "bidder2", "bidder3"}) seqs[who] = MyBidSeq(id, who);
  FlipStoredFile(seqs["bidder2"]);
  CommandResult victim;
  std::thread waiting([&] {
    victim =
        Bidctl("bidder2", {"opening", "decrypt", lot, "--sealed", files["bidder2"], "--at-open"});
  });
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  waiting.join();
  ASSERT_EQ(victim.exit_code, 0) << victim.out << victim.err;
  EXPECT_TRUE(
      Has(victim.out, "Put back: the sealed file of your bid #" + std::to_string(seqs["bidder2"])))
      << victim.out;
  EXPECT_TRUE(Has(victim.out, "you have nothing to release")) << victim.out;
  const v1::BidEntry* b = EntryOf(Status(id), seqs["bidder2"]);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->opening().stored_matched_at_start());
  EXPECT_NE(b->opening().restored_seq(), 0u);
}

// Revoked after the deadline and before the start, bidder3 could never
// release: not its fault. (Revoked during the window it would be: review 6 T2.)
TEST_F(ResupplyTest, ABidderRevokedAfterTheDeadlineBeforeTheStartIsNotBlamed) {
  for (const auto& [who, price] : kPrices) RegisterKey(who);
  const std::string id = ShortTender("BIDDER", absl::Seconds(12), "15s");
  std::map<std::string, std::string> secrets;
  std::map<std::string, uint64_t> seqs;
  for (const auto& [who, price] : kPrices) Submit(id, who, price);
  for (const auto& [who, price] : kPrices) {
    secrets[who] = BidderSecret(id, who);
    seqs[who] = MyBidSeq(id, who);
  }
  WaitForOpeningTime();
  const std::string fp = crypto::PartyFromPem(ReadWholeFile(Cert("bidder3")))->fingerprint();
  CommandResult revoked =
      Bidctl("operator1", {"identity", "revoke", fp, "--reason", "key stolen 2026-12-04"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  ASSERT_TRUE(Start(id).ok());
  for (const char* who : {"bidder1", "bidder2"}) {
    v1::ReleaseResult r;
    ASSERT_TRUE(ReleaseBidder(id, who, secrets[who], &r).ok()) << who;
    ASSERT_TRUE(r.accepted()) << who << ": " << r.message();
  }
  CommandResult refused = Bidctl("bidder3", {"opening", "decrypt", id + "/1"});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_TRUE(Has(refused.err, "UNAUTHENTICATED")) << refused.err;

  const v1::OpeningStatus ended = WaitEnded(id);
  const v1::BidEntry* b = EntryOf(ended, seqs["bidder3"]);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->status(), v1::BID_STATUS_DECRYPT_FAILED);
  EXPECT_EQ(b->opening().fault(), v1::FAULT_PLATFORM) << b->opening().verdict();
  EXPECT_EQ(b->opening().consequence(), v1::CONSEQUENCE_WITHDRAWN);
  EXPECT_NE(b->opening().revoked_seq(), 0u);
  EXPECT_TRUE(Has(b->opening().verdict(), "not the bidder's fault")) << b->opening().verdict();
  EXPECT_TRUE(Has(b->opening().verdict(), "key stolen 2026-12-04")) << b->opening().verdict();
  EXPECT_TRUE(
      Has(b->opening().verdict(), "log event " + std::to_string(b->opening().revoked_seq())))
      << b->opening().verdict();
  ExpectVerifies(id);
  ExpectVerifies("all");  // the whole log: the fold checks the revocation itself
}

}  // namespace
}  // namespace bidopen::testing
