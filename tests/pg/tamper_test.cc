// Tampering with stored events (as a database administrator could) is found:
// by an auditor's `bidctl audit verify`, naming the first bad index, and by
// bidopend at start-up, which then refuses writes and says why.
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TamperTest : public E2eTest {
 protected:
  // Log: 0 key, 1 created, 2 amended, 3 amended (all but 0 of one tender).
  void SetUp() override {
    E2eTest::SetUp();
    // No per-lot keys: one key event, so the tender's events are seqs 1..3.
    ASSERT_EQ(Bidctl("custodian1", {"identity", "register-key", "--lot-keys", "0"}).exit_code, 0);
    id_ = CreateTender();
    for (int days : {40, 50})
      ASSERT_EQ(Bidctl("agency1",
                       {"tender", "amend", id_, "--deadline", InDays(days), "--reason", "addendum"})
                    .exit_code,
                0);
  }

  void Tamper(const std::string& sql) {
    Sql("ALTER TABLE events DISABLE TRIGGER USER; " + sql +
        "; ALTER TABLE events ENABLE TRIGGER USER");
  }

  // Fetches the tender (and the whole log) from the running server; returns
  // what `audit verify` says of the tender's bundle.
  CommandResult FetchAndVerify(const std::string& what) {
    std::string bundle = dir_.path() + "/" + what + ".json";
    CommandResult fetch = Bidctl("auditor1", {"audit", "fetch", what, "-o", bundle});
    EXPECT_EQ(fetch.exit_code, 0) << fetch.err;
    return Bidctl("auditor1", {"audit", "verify", bundle});
  }

  // After a restart, reads still work and writes are refused naming `bad`.
  void ExpectRefusedAfterRestart(const std::string& bad) {
    KillServer();
    StartServer();
    EXPECT_TRUE(Has(ServerLog(), "failed its integrity check at start-up: " + bad)) << ServerLog();
    CommandResult write =
        Bidctl("agency1", {"tender", "create", "--title", "x", "--deadline", InDays(30), "--field",
                           "price:decimal", "--policy", "BIDDER"});
    EXPECT_EQ(write.exit_code, 1);
    EXPECT_TRUE(Has(write.err,
                    "DATA_LOSS: the event log failed its integrity check at "
                    "start-up: " +
                        bad))
        << write.err;
    EXPECT_TRUE(Has(write.err, "writes are refused")) << write.err;
    CommandResult read = Bidctl("auditor1", {"tender", "list"});
    EXPECT_EQ(read.exit_code, 0) << read.err;
  }

  std::string id_;
};

TEST_F(TamperTest, ChangedByteIsFoundAtItsIndex) {
  // "Road" -> "Toad" in the tender's creation event (seq 1).
  Tamper(
      "UPDATE events SET body = overlay(body placing 'T'::bytea from"
      " position('Road'::bytea in body) for 1) WHERE seq = 1");
  CommandResult verify = FetchAndVerify(id_);
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(Has(verify.err, "DATA_LOSS: event 1: inclusion proof for leaf 1")) << verify.err;
  CommandResult all = FetchAndVerify("all");
  EXPECT_EQ(all.exit_code, 1);
  EXPECT_TRUE(Has(all.err, "do not hash to the signed root")) << all.err;
  ExpectRefusedAfterRestart("event 1: stored bytes hash to");
}

TEST_F(TamperTest, DeletedRowIsFoundAtItsIndex) {
  Tamper("DELETE FROM events WHERE seq = 2");
  CommandResult verify = FetchAndVerify(id_);
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(Has(verify.err,
                  "DATA_LOSS: event 3: its tender's previous event is 2 but the "
                  "bundle's is 1: an event of the tender is missing"))
      << verify.err;
  CommandResult all = FetchAndVerify("all");
  EXPECT_EQ(all.exit_code, 1);
  EXPECT_TRUE(Has(all.err, "DATA_LOSS: event 2 is missing from the bundle")) << all.err;
  ExpectRefusedAfterRestart("event 2 is missing");
}

TEST_F(TamperTest, SwappedRowsAreFoundAtTheFirstIndex) {
  Tamper(
      "UPDATE events SET body = CASE seq WHEN 2 THEN (SELECT body FROM events WHERE seq = 3)"
      " ELSE (SELECT body FROM events WHERE seq = 2) END WHERE seq IN (2, 3)");
  CommandResult verify = FetchAndVerify(id_);
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_TRUE(Has(verify.err, "DATA_LOSS: event 2: the stored bytes do not parse as this event"))
      << verify.err;
  ExpectRefusedAfterRestart("event 2: stored bytes carry seq 3");
}

}  // namespace
}  // namespace bidopen::testing
