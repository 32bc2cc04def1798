// bidctl's side of the opening against a real bidopend (docs/protocol.md
// "Opening: the commands"): nothing is released before the signed opening
// time, --at-open waits and releases, a custodian not of the lot is refused,
// the verdict table, fetching the documents, re-running a verdict offline and
// the reveal checks of `audit verify`.
#include <google/protobuf/util/json_util.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/audit.pb.h"
#include "core/opening/time_text.h"
#include "server/store/pg.h"
#include "tests/e2e/bid_fixture.h"

namespace bidopen::testing {
namespace {

class OpeningClientTest : public BidTest {
 protected:
  // RFC 3339 `ahead` from now, to the second, in Asia/Shanghai.
  static std::string Rfc3339After(absl::Duration ahead) {
    absl::TimeZone tz;
    absl::LoadTimeZone("Asia/Shanghai", &tz);
    return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", absl::Now() + ahead, tz);
  }

  // A BIDDER lot of one bid at least, its deadline (and opening) `ahead`.
  std::string ShortTender(absl::Duration ahead, std::vector<std::string> extra = {},
                          const std::string& window = "2m") {
    std::vector<std::string> args = {"--json",
                                     "tender",
                                     "create",
                                     "--title",
                                     "Bridges",
                                     "--timezone",
                                     "Asia/Shanghai",
                                     "--deadline",
                                     Rfc3339After(ahead),
                                     "--field",
                                     "price:decimal:CNY",
                                     "--min-bids",
                                     "1",
                                     "--window",
                                     window};
    if (extra.empty()) extra = {"--policy", "BIDDER"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = Bidctl("agency1", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    deadline_ = absl::Now() + ahead;
    return TenderIdOf(r.out);
  }

  // bidder1 seals offer.txt at `price` and submits it; the bid's log index.
  void SealAndSubmit(const std::string& id, const std::string& price) {
    const std::string doc = WriteFile("offer.txt", "offer of bidder1 at " + price + "\n");
    CommandResult s = Seal(id, {"--form", "price=" + price, "--doc", doc, "-o", out()});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    CommandResult sub = Bidctl("bidder1", {"bid", "submit", out()});
    ASSERT_EQ(sub.exit_code, 0) << sub.err;
  }

  void SleepPastDeadline() {
    const absl::Duration left = deadline_ - absl::Now();
    if (left > absl::ZeroDuration()) absl::SleepFor(left + absl::Seconds(1));
  }

  // bidctl in the background as `identity`; its output in `log`.
  pid_t Background(const std::string& identity, std::vector<std::string> args,
                   const std::string& log) {
    std::vector<std::string> argv = {
        "/usr/bin/env",   "BIDOPEN_CONFIG_DIR=" + dir_.path() + "/config",
        BIDCTL_PATH,      "--server",
        server(),         "--ca",
        pki_ + "/ca.crt", "--cert",
        Cert(identity),   "--key",
        Key(identity)};
    argv.insert(argv.end(), args.begin(), args.end());
    return Spawn(argv, log);
  }

  // The exit code of `pid` once it ends within `limit` (-1 if it did not).
  static int WaitExit(pid_t pid, absl::Duration limit) {
    for (absl::Time end = absl::Now() + limit; absl::Now() < end;
         absl::SleepFor(absl::Milliseconds(100))) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid)
        return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    }
    Stop(pid, SIGKILL);
    return -1;
  }

  // `opening end` once every bid opened (the server decrypts as keys come).
  CommandResult EndWhenOpened(const std::string& lot) {
    CommandResult r;
    for (int i = 0; i < 50; ++i, absl::SleepFor(absl::Milliseconds(200))) {
      r = Bidctl("agency1", {"opening", "end", lot});
      if (r.exit_code == 0) break;
    }
    return r;
  }

  absl::Time deadline_;
};

TEST_F(OpeningClientTest, BeforeTheSignedOpeningTimeNothingIsUnwrappedOrSent) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Hours(2));
  SealAndSubmit(id, "1234.50");
  CommandResult r = Bidctl("bidder1", {"opening", "decrypt", id + "/1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Has(r.err, "FAILED_PRECONDITION")) << r.err;
  EXPECT_TRUE(Has(r.err, "nothing was unwrapped or sent")) << r.err;
  EXPECT_TRUE(Has(r.err, "(the server's signed time)")) << r.err;
  CommandResult status = Bidctl("supervisor1", {"opening", "status", id, "--lot", "1"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(Has(status.out, "(signed, verified)")) << status.out;
  EXPECT_TRUE(Has(status.out, "(not revealed)")) << status.out;
  CommandResult json = Bidctl("supervisor1", {"--json", "opening", "status", id + "/1"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(Has(json.out, "\"lot_state\"") && Has(json.out, "\"now\"")) << json.out;
  CommandResult start = Bidctl("agency1", {"opening", "start", id + "/1"});
  EXPECT_NE(start.exit_code, 0);
  EXPECT_TRUE(Has(start.err, "FAILED_PRECONDITION")) << start.err;
}

// Review 3, finding F1: the lot in GetOpening's answer is the server's to
// write (here a DBA rewrites the `tenders` row as the application role: the
// opening an hour ago, decrypting, window open). bidctl takes what gates a
// release from the tender as its verified log folds it, so two hours before
// the real opening time it unwraps and sends nothing.
TEST_F(OpeningClientTest, AForgedLotInTheServersStatusDrawsNoReleaseEarly) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Hours(2));
  SealAndSubmit(id, "1234.50");
  auto conn = store::Conn::Open(db_.conninfo());
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto row = (*conn)->Query("SELECT state FROM tenders WHERE id = $1", store::Params().Text(id));
  ASSERT_TRUE(row.ok() && row->rows() == 1) << row.status();
  fold::Tender t;
  ASSERT_TRUE(t.ParseFromString(std::string(row->Bytes(0, 0))));
  fold::Lot* lot = t.mutable_lots(0);
  const absl::Time now = absl::Now();
  *lot->mutable_spec()->mutable_opening_time() = ToProto(now - absl::Hours(1));
  lot->set_status(v1::LOT_STATUS_DECRYPTING);
  *lot->mutable_opening()->mutable_started()->mutable_time() = ToProto(now - absl::Minutes(1));
  *lot->mutable_opening()->mutable_window_end() = ToProto(now + absl::Minutes(10));
  lot->mutable_opening()->set_bids(1);
  lot->mutable_opening()->set_revealed(1);
  ASSERT_TRUE((*conn)->Query("SET ROLE bidopen_app", {}).ok());
  ASSERT_TRUE((*conn)
                  ->Query("UPDATE tenders SET state = $1 WHERE id = $2",
                          store::Params().Bytes(t.SerializeAsString()).Text(id))
                  .ok());
  // The server's status is forged: it says decrypting.
  CommandResult status = Bidctl("supervisor1", {"--json", "opening", "status", id + "/1"});
  EXPECT_TRUE(Has(status.out, "LOT_STATUS_DECRYPTING")) << status.out;

  CommandResult r = Bidctl("bidder1", {"opening", "decrypt", id + "/1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Has(r.err, "the tender as its verified log folds it does not")) << r.err;
  EXPECT_TRUE(Has(r.err, "nothing was unwrapped or sent")) << r.err;
  // Had it sent, ReleaseKey would have refused it for the bid not revealed.
  EXPECT_FALSE(Has(r.err, "no bid revealed at the opening")) << r.err;
}

TEST_F(OpeningClientTest, AtOpenWaitsReleasesAndTheVerdictChecksOutOffline) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Seconds(20));
  const std::string lot = id + "/1";
  SealAndSubmit(id, "1234.50");
  const std::string log = dir_.path() + "/decrypt.log";
  const pid_t decrypt = Background("bidder1", {"opening", "decrypt", lot, "--at-open"}, log);
  SleepPastDeadline();
  CommandResult start = Bidctl("agency1", {"opening", "start", lot});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_TRUE(Has(start.out, "DECRYPTING")) << start.out;
  ASSERT_EQ(WaitExit(decrypt, absl::Seconds(30)), 0) << ReadWholeFile(log);
  const std::string said = ReadWholeFile(log);
  EXPECT_TRUE(Has(said, "the server's signed time")) << said;
  EXPECT_TRUE(Has(said, "Released: the secret of your bid #")) << said;
  CommandResult again = Bidctl("bidder1", {"opening", "decrypt", lot});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "Already released")) << again.out;

  CommandResult end = EndWhenOpened(lot);
  ASSERT_EQ(end.exit_code, 0) << end.err;
  EXPECT_TRUE(Has(end.out, "DECRYPTED")) << end.out;
  EXPECT_TRUE(Has(end.out, "price = 1234.50 CNY")) << end.out;
  EXPECT_TRUE(Has(end.out, "(bidder1)")) << end.out;  // revealed: organization (CN)

  const size_t hash = end.out.find("\n  #");  // the bid's line: its log index first
  ASSERT_NE(hash, std::string::npos) << end.out;
  const std::string bid = end.out.substr(hash + 4, end.out.find(' ', hash + 4) - hash - 4);
  std::cout << end.out;  // what the agency sees
  const std::string docs = dir_.path() + "/fetched";
  CommandResult fetch = Bidctl("agency1", {"bid", "fetch", lot, bid, "-o", docs});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_EQ(ReadWholeFile(docs + "/offer.txt"), "offer of bidder1 at 1234.50\n");
  EXPECT_TRUE(Has(fetch.out, "(checked)")) << fetch.out;
  CommandResult twice = Bidctl("agency1", {"bid", "fetch", lot, bid, "-o", docs});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_TRUE(Has(twice.err, "ALREADY_EXISTS")) << twice.err;

  CommandResult check =
      Bidctl("auditor1", {"audit", "check-bid", lot, bid, "-o", dir_.path() + "/evidence"});
  EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
  EXPECT_TRUE(Has(check.out, "same verdict as the log: DECRYPTED")) << check.out;

  const std::string bundle = dir_.path() + "/bundle.json";
  CommandResult fetched = Bidctl("auditor1", {"audit", "fetch", id, "-o", bundle});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  CommandResult verify = Bidctl("auditor1", {"audit", "verify", bundle});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(Has(verify.out, "1 announced values of 1 bids tied to their sealed headers"))
      << verify.out;
  // bidctl signed its release and cited the head it saw (docs/protocol.md "Releasing"),
  // a head of this log: the bundle proves it (review 4 R1).
  EXPECT_TRUE(Has(verify.out, "1 releases: each signed by its releaser's certificate"))
      << verify.out;
  EXPECT_TRUE(Has(verify.out, "1 heads cited by releases: each a head of this log")) << verify.out;

  // A bundle whose proof for the cited head does not lead to its head, or
  // that has none, does not verify: the release and the size are named.
  v1::AuditBundle b;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadWholeFile(bundle), &b).ok());
  ASSERT_EQ(b.cited_heads_size(), 1);
  ASSERT_GT(b.cited_heads(0).consistency().path_size(), 0);
  const std::string size = absl::StrCat("cites a signed head of size ", b.cited_heads(0).size());
  std::string* path = b.mutable_cited_heads(0)->mutable_consistency()->mutable_path(0);
  (*path)[0] = static_cast<char>((*path)[0] ^ 1);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(b, &json).ok());
  CommandResult forged = Bidctl("auditor1", {"audit", "verify", WriteFile("forked.json", json)});
  EXPECT_EQ(forged.exit_code, 1);
  EXPECT_TRUE(Has(forged.err, "(KeyReleased by \"bidder1\"")) << forged.err;
  EXPECT_TRUE(Has(forged.err, size)) << forged.err;
  EXPECT_TRUE(Has(forged.err, "that is not a head of this log")) << forged.err;
  b.clear_cited_heads();
  json.clear();
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(b, &json).ok());
  CommandResult cut = Bidctl("auditor1", {"audit", "verify", WriteFile("cut.json", json)});
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_TRUE(Has(cut.err, "the bundle holds no proof that its head extends it")) << cut.err;
}

// check-bid compares with the verdict the verified log holds, not with the
// server's query rows: an insider who rewrites the bid's row (the price the
// server then shows) does not make check-bid agree with it.
TEST_F(OpeningClientTest, CheckBidComparesWithTheLogNotTheQueryRows) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Seconds(20));
  const std::string lot = id + "/1";
  SealAndSubmit(id, "1234.50");
  const std::string log = dir_.path() + "/decrypt.log";
  const pid_t decrypt = Background("bidder1", {"opening", "decrypt", lot, "--at-open"}, log);
  SleepPastDeadline();
  ASSERT_EQ(Bidctl("agency1", {"opening", "start", lot}).exit_code, 0);
  ASSERT_EQ(WaitExit(decrypt, absl::Seconds(30)), 0) << ReadWholeFile(log);
  CommandResult end = EndWhenOpened(lot);
  ASSERT_EQ(end.exit_code, 0) << end.err;
  const size_t hash = end.out.find("\n  #");
  ASSERT_NE(hash, std::string::npos) << end.out;
  const std::string bid = end.out.substr(hash + 4, end.out.find(' ', hash + 4) - hash - 4);

  auto conn = store::Conn::Open(db_.conninfo());
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto row = (*conn)->Query("SELECT state FROM bid_states WHERE seq = " + bid);
  ASSERT_TRUE(row.ok() && row->rows() == 1) << row.status();
  fold::Bid state;
  ASSERT_TRUE(state.ParseFromString(std::string(row->Bytes(0, 0))));
  ASSERT_EQ(state.opening().values_size(), 1);
  state.mutable_opening()->mutable_values(0)->set_value("1.00");
  ASSERT_TRUE((*conn)
                  ->Query("UPDATE bid_states SET state = $1 WHERE seq = " + bid,
                          store::Params().Bytes(state.SerializeAsString()))
                  .ok());
  CommandResult shown = Bidctl("agency1", {"opening", "status", lot});
  ASSERT_TRUE(Has(shown.out, "price = 1.00 CNY")) << shown.out;  // the edited row is served

  CommandResult check = Bidctl("auditor1", {"audit", "check-bid", lot, bid});
  EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
  EXPECT_TRUE(Has(check.out, "price = 1234.50")) << check.out;
  EXPECT_TRUE(Has(check.out, "same verdict as the log: DECRYPTED")) << check.out;

  const std::string bundle = dir_.path() + "/bundle.json";
  ASSERT_EQ(Bidctl("auditor1", {"audit", "fetch", id, "-o", bundle}).exit_code, 0);
  CommandResult offline = Bidctl("auditor1", {"audit", "check-bid", lot, bid, "--bundle", bundle});
  EXPECT_EQ(offline.exit_code, 0) << offline.err << offline.out;
  EXPECT_TRUE(Has(offline.out, "same verdict as the log: DECRYPTED")) << offline.out;
  CommandResult other =
      Bidctl("auditor1", {"audit", "check-bid", "T-0123456789/1", bid, "--bundle", bundle});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_TRUE(Has(other.err, "holds tender " + id)) << other.err;
}

TEST_F(OpeningClientTest, WithoutItsKeyTheBidderReleasesWithWhatBidSealKept) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Seconds(15));
  SealAndSubmit(id, "99");
  std::filesystem::remove(dir_.path() + "/config/keys/" + Fingerprint("bidder1") + ".x25519");
  SleepPastDeadline();
  ASSERT_EQ(Bidctl("agency1", {"opening", "start", id + "/1"}).exit_code, 0);
  CommandResult r = Bidctl("bidder1", {"opening", "decrypt", id + "/1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "Unwrapped with the ephemeral key `bid seal` kept")) << r.out;
}

TEST_F(OpeningClientTest, WithNothingToUnwrapTheBidderIsToldWhatFollows) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Seconds(15));
  SealAndSubmit(id, "99");
  std::filesystem::remove(dir_.path() + "/config/keys/" + Fingerprint("bidder1") + ".x25519");
  std::filesystem::remove_all(dir_.path() + "/config/keys/bids");
  SleepPastDeadline();
  ASSERT_EQ(Bidctl("agency1", {"opening", "start", id + "/1"}).exit_code, 0);
  CommandResult r = Bidctl("bidder1", {"opening", "decrypt", id + "/1"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Has(r.err, "nothing was sent")) << r.err;
  EXPECT_TRUE(Has(r.err, "treated as revoked (视为撤销)")) << r.err;
}

TEST_F(OpeningClientTest, ACustodianNotOfTheLotAndABidderWithoutABidAreRefused) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Hours(2));
  CommandResult c = Bidctl("custodian1", {"custody", "release", id + "/1"});
  EXPECT_NE(c.exit_code, 0);
  EXPECT_TRUE(Has(c.err, "PERMISSION_DENIED")) << c.err;
  EXPECT_TRUE(Has(c.err, "the lot has no custodians")) << c.err;
  CommandResult b = Bidctl("bidder2", {"opening", "decrypt", id + "/1"});
  EXPECT_NE(b.exit_code, 0);
  EXPECT_TRUE(Has(b.err, "NOT_FOUND") || Has(b.err, "PERMISSION_DENIED")) << b.err;
  CommandResult wrong = Bidctl("agency1", {"opening", "decrypt", id + "/1"});
  EXPECT_TRUE(Has(wrong.err, "bidders release their bid's key")) << wrong.err;
  CommandResult bad = Bidctl("agency1", {"opening", "status", id + "/0"});
  EXPECT_TRUE(Has(bad.err, "is not a lot number from 1 to 100")) << bad.err;
}

TEST_F(OpeningClientTest, CustodiansReleaseTheirLotKeysAndAQuorumBidderHasNothingToRelease) {
  for (const char* who : {"custodian1", "custodian2", "custodian3", "bidder1"}) RegisterKey(who);
  const std::string id = ShortTender(
      absl::Seconds(25), {"--policy", "QUORUM", "--custodian", "Custodian One", "--custodian",
                          "Custodian Two", "--custodian", "Custodian Three", "--threshold", "2"});
  const std::string lot = id + "/1";
  SealAndSubmit(id, "777.00");
  const std::string log = dir_.path() + "/custody.log";
  const pid_t c1 = Background("custodian1", {"custody", "release", lot, "--at-open"}, log);
  SleepPastDeadline();
  CommandResult early = Bidctl("custodian2", {"custody", "release", lot});
  EXPECT_NE(early.exit_code, 0);  // not started yet: nothing sent
  EXPECT_TRUE(Has(early.err, "waiting for the agency to start the opening")) << early.err;
  ASSERT_EQ(Bidctl("agency1", {"opening", "start", lot}).exit_code, 0);
  ASSERT_EQ(WaitExit(c1, absl::Seconds(30)), 0) << ReadWholeFile(log);
  EXPECT_TRUE(Has(ReadWholeFile(log), "Released: your key for lot 1 (share 1)"))
      << ReadWholeFile(log);
  CommandResult c2 = Bidctl("custodian2", {"custody", "release", lot});
  EXPECT_EQ(c2.exit_code, 0) << c2.err;
  CommandResult bidder = Bidctl("bidder1", {"opening", "decrypt", lot});
  EXPECT_EQ(bidder.exit_code, 0) << bidder.err;
  EXPECT_TRUE(Has(bidder.out, "you have nothing to release")) << bidder.out;
  CommandResult status = Bidctl("supervisor1", {"opening", "status", lot});
  EXPECT_TRUE(Has(status.out, "2 of 3 released their key (2 needed)")) << status.out;
}

TEST_F(OpeningClientTest, AtOpenRidesOutARestartedServer) {
  RegisterKey("bidder1");
  const std::string id = ShortTender(absl::Seconds(20));
  const std::string lot = id + "/1";
  SealAndSubmit(id, "500");
  const std::string log = dir_.path() + "/decrypt.log";
  const pid_t decrypt = Background("bidder1", {"opening", "decrypt", lot, "--at-open"}, log);
  absl::SleepFor(absl::Seconds(2));
  KillServer();
  absl::SleepFor(absl::Seconds(3));
  StartServer(nullptr, port_);
  SleepPastDeadline();
  ASSERT_EQ(Bidctl("agency1", {"opening", "start", lot}).exit_code, 0);
  ASSERT_EQ(WaitExit(decrypt, absl::Seconds(30)), 0) << ReadWholeFile(log);
  const std::string said = ReadWholeFile(log);
  EXPECT_TRUE(Has(said, "server unreachable, retrying")) << said;
  EXPECT_TRUE(Has(said, "Released: the secret of your bid #")) << said;
}

TEST_F(OpeningClientTest, AnAutoStartedLotWithoutReleaseFailsThroughTheBiddersFault) {
  RegisterKey("bidder1");
  const std::string id =
      ShortTender(absl::Seconds(15), {"--policy", "BIDDER", "--auto-start"}, "5s");
  const std::string lot = id + "/1";
  SealAndSubmit(id, "88");
  CommandResult before = Bidctl("bidder1", {"opening", "status", lot});
  EXPECT_TRUE(Has(before.out, "(the server starts it)")) << before.out;
  SleepPastDeadline();
  CommandResult status;
  for (int i = 0; i < 100 && !Has(status.out, "decryption ended"); ++i) {
    absl::SleepFor(absl::Milliseconds(300));
    status = Bidctl("supervisor1", {"opening", "status", lot});
  }
  ASSERT_TRUE(Has(status.out, "decryption ended")) << status.out << ServerLog();
  EXPECT_TRUE(Has(status.out, "by the server (auto-start)")) << status.out;
  EXPECT_TRUE(Has(status.out, "DECRYPT_FAILED")) << status.out;
  EXPECT_TRUE(Has(status.out, "fault: the bidder; treated as revoked (视为撤销)")) << status.out;
  CommandResult late = Bidctl("bidder1", {"opening", "decrypt", lot, "--at-open"});
  EXPECT_NE(late.exit_code, 0);
  EXPECT_TRUE(Has(late.err, "no key can be released any more")) << late.err;

  const size_t hash = status.out.find("\n  #");
  ASSERT_NE(hash, std::string::npos) << status.out;
  const std::string bid = status.out.substr(hash + 4, status.out.find(' ', hash + 4) - hash - 4);
  CommandResult check = Bidctl("supervisor1", {"audit", "check-bid", lot, bid});
  EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
  EXPECT_TRUE(Has(check.out, "same verdict as the log: DECRYPT_FAILED, fault the bidder"))
      << check.out;
  EXPECT_TRUE(Has(check.err, "saved the evidence in ")) << check.err;
}

}  // namespace
}  // namespace bidopen::testing
