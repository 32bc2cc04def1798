// `bidctl opening watch` end to end: in a terminal (a detached tmux session
// whose pane is captured, as a user would see it) through the start and the
// decryption, surviving a server restart; without a terminal (a line per
// event and the final view) and with --json (a line per event), ending when
// the lot is cancelled or failed at its start.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/opening/event_lot.h"
#include "tests/e2e/opening_fixture.h"

namespace bidopen::testing {
namespace {

constexpr char kTmux[] = "/usr/bin/tmux";

// A detached tmux session of 160 x 50 on a socket of its own.
class Tmux {
 public:
  Tmux(std::string socket, const std::string& command) : socket_(std::move(socket)) {
    CommandResult r = RunCommand({kTmux, "-S", socket_, "new-session", "-d", "-x", "160", "-y",
                                  "50", "-s", "watch", command});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  ~Tmux() { RunCommand({kTmux, "-S", socket_, "kill-server"}); }

  std::string Capture() const {
    return RunCommand({kTmux, "-S", socket_, "capture-pane", "-p", "-t", "watch"}).out;
  }
  void Keys(const std::string& keys) const {
    RunCommand({kTmux, "-S", socket_, "send-keys", "-t", "watch", keys});
  }
  // The pane once `ok` holds for it (up to `limit`); the last capture otherwise.
  std::string WaitFor(const std::function<bool(const std::string&)>& ok,
                      absl::Duration limit = absl::Seconds(20)) const {
    const absl::Time until = absl::Now() + limit;
    std::string pane = Capture();
    while (!ok(pane) && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(200));
      pane = Capture();
    }
    return pane;
  }
  std::string WaitFor(const std::string& text, absl::Duration limit = absl::Seconds(20)) const {
    return WaitFor([&](const std::string& p) { return absl::StrContains(p, text); }, limit);
  }

 private:
  std::string socket_;
};

class WatchCliTest : public OpeningTest {
 protected:
  // The shell command running bidctl as `who` with `args` (paths have no spaces).
  std::string BidctlCommand(const std::string& who, const std::string& args) {
    return absl::StrCat("env BIDOPEN_CONFIG_DIR=", dir_.path(), "/config ", BIDCTL_PATH,
                        " --server ", server(), " --ca ", pki_, "/ca.crt --cert ", Cert(who),
                        " --key ", Key(who), " ", args);
  }
  static int Count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
};

TEST_F(WatchCliTest, ATerminalShowsThePhaseTheCountdownAndTheOpenedBidsAcrossARestart) {
  RegisterAll();
  const std::string id = ShortTender("BIDDER", absl::Seconds(15), "60s", {"--min-bids", "1"});
  Submit(id, "bidder1", "1000.00");
  Submit(id, "bidder2", "990.00");
  Tmux tmux(dir_.path() + "/tmux.sock", BidctlCommand("supervisor1", "opening watch " + id + "/1") +
                                            "; echo WATCH-EXIT=$?; sleep 60");

  // Before the opening: the phase and a countdown that ticks.
  std::string pane = tmux.WaitFor("(signed heartbeat, verified)");
  EXPECT_PRED2(Has, pane, std::string("阶段 phase        待开标 SCHEDULED"));
  EXPECT_PRED2(Has, pane, std::string("开标倒计时 opening "));
  EXPECT_PRED2(Has, pane, std::string("+08:00"));
  const std::string before = pane;
  pane = tmux.WaitFor([&](const std::string& p) { return p != before; }, absl::Seconds(5));
  EXPECT_NE(pane, before) << "the countdown does not tick";

  // The start and the decryption, live.
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  pane = tmux.WaitFor("解密中 DECRYPTING");
  EXPECT_PRED2(Has, pane, std::string("解密窗口 decryption window ends "));
  EXPECT_PRED2(Has, pane, std::string("2 at the start, 2 revealed, 0 opened"));
  v1::ReleaseResult r;
  ASSERT_TRUE(ReleaseBidder(id, "bidder1", BidderSecret(id, "bidder1"), &r).ok());
  pane = tmux.WaitFor("1 opened");
  EXPECT_EQ(Count(pane, "已解密 opened"), 1) << pane;

  // The server goes away and comes back: the watch reconnects from where it was.
  const int port = port_;
  KillServer();
  pane = tmux.WaitFor("server unreachable");
  EXPECT_PRED2(Has, pane, std::string("reconnecting in "));
  StartServer(nullptr, port);
  ASSERT_TRUE(ReleaseBidder(id, "bidder2", BidderSecret(id, "bidder2"), &r).ok());
  pane = tmux.WaitFor("2 opened", absl::Seconds(30));
  EXPECT_EQ(Count(pane, "已解密 opened"), 2) << pane;
  EXPECT_FALSE(absl::StrContains(pane, "server unreachable")) << pane;
  // Never a value before the announcement: both bids opened, nothing read out.
  EXPECT_FALSE(absl::StrContains(pane, "1000.00")) << pane;
  EXPECT_FALSE(absl::StrContains(pane, "990.00")) << pane;
  const grpc::Status ended = End(id);
  ASSERT_TRUE(ended.ok()) << ended.error_message();
  // The verdicts and the announcement come in one commit: the table appears.
  pane = tmux.WaitFor("确认中 CONFIRMING");
  EXPECT_PRED2(Has, pane, std::string("1000.00 | 90"));
  EXPECT_PRED2(Has, pane, std::string("990.00 | 90"));
  // Every event of the lot once: nothing shown twice, nothing missed.
  const std::string count = absl::StrCat("(", Events(id).size(), " events, up to log #");
  pane = tmux.WaitFor(count);
  EXPECT_PRED2(Has, pane, count);

  // Ctrl-C ends it with status 0.
  tmux.Keys("C-c");
  pane = tmux.WaitFor("WATCH-EXIT=");
  EXPECT_PRED2(Has, pane, std::string("WATCH-EXIT=0"));
}

TEST_F(WatchCliTest, WithoutATerminalALinePerEventAndTheFinalViewWhenTheLotIsCancelled) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(60), "20s", {"--min-bids", "1"});
  Submit(id, "bidder1", "1000.00");
  CommandResult cancel =
      Bidctl("agency1", {"tender", "cancel", id, "--lot", "1", "--reason", "budget withdrawn"});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;

  CommandResult lines = Bidctl("auditor1", {"opening", "watch", id + "/1"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  EXPECT_PRED2(Has, lines.out, std::string("招标创建 tender created: Short opening"));
  EXPECT_PRED2(Has, lines.out, std::string("投标 a bid was submitted"));
  EXPECT_PRED2(Has, lines.out, std::string("取消 cancelled: budget withdrawn"));
  EXPECT_PRED2(Has, lines.out, std::string("阶段 phase        已取消 CANCELLED"));
  EXPECT_EQ(lines.out.find("\x1b["), std::string::npos) << "no terminal codes without a terminal";

  CommandResult json = Bidctl("bidder1", {"--json", "opening", "watch", id + "/1"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::vector<std::string> rows = absl::StrSplit(json.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), Events(id).size()) << json.out;
  EXPECT_PRED2(Has, rows.front(), std::string("\"kind\":\"tender_created\""));
  EXPECT_PRED2(Has, rows.back(), std::string("\"kind\":\"tender_cancelled\""));
  EXPECT_PRED2(Has, rows.back(), std::string("\"reason\":\"budget withdrawn\""));
  EXPECT_FALSE(absl::StrContains(json.out, "heartbeat")) << json.out;

  // --from: the events from that log index on.
  const std::string from = std::to_string(Events(id).back().seq());
  CommandResult last =
      Bidctl("auditor1", {"--json", "opening", "watch", id + "/1", "--from", from});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  rows = absl::StrSplit(last.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 1u) << last.out;
  EXPECT_PRED2(Has, rows[0], std::string("\"kind\":\"tender_cancelled\""));
}

TEST_F(WatchCliTest, ALotThatFailedAtItsStartEndsTheWatchAndOthersMayNotWatch) {
  RegisterAll();
  const std::string id = ShortTender("ANY", absl::Seconds(10), "20s", {"--min-bids", "2"});
  Submit(id, "bidder1", "1000.00");
  CommandResult refused = Bidctl("bidder2", {"opening", "watch", id + "/1"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_PRED2(Has, refused.err, std::string("you have no bid in it"));
  WaitForOpeningTime();
  ASSERT_TRUE(Start(id).ok());
  CommandResult r = Bidctl("agency1", {"opening", "watch", id + "/1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_PRED2(Has, r.out, std::string("流标 failed at the start: "));
  EXPECT_PRED2(Has, r.out, std::string("阶段 phase        流标 FAILED"));
}

TEST_F(WatchCliTest, ALotsWatchFoldsFromItsOwnEventsWhileAnotherLotHasItsOwn) {
  RegisterAll();
  // Two lots; lot 2 gets a bid, an amendment and a cancellation the watcher
  // of lot 1 is never sent: the fold of lot 1 needs none of them.
  const std::string deadline =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() + absl::Hours(24), absl::UTCTimeZone());
  std::string lot = absl::StrCat(
      R"({"title": "Lot", "submissionDeadline": ")", deadline, R"(", "openingTime": ")", deadline,
      R"(", "minValidBids": 1, "form": [{"name": "price", "type": "FIELD_TYPE_DECIMAL", )",
      R"("unit": "CNY", "required": true}, {"name": "duration_days", "type": "FIELD_TYPE_INT", )",
      R"("required": true}], "policy": "OPENING_POLICY_BIDDER"})");
  const std::string spec = WriteFile(
      "two.json", absl::StrCat(R"({"title": "Two lots", "timeZone": "Asia/Shanghai", "lots": [)",
                               lot, ", ", lot, "]}"));
  CommandResult created = Bidctl("agency1", {"--json", "tender", "create", "--spec", spec});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = TenderIdOf(created.out);
  Submit(id, "bidder1", "1000.00");
  const std::string file = dir_.path() + "/lot2.sealed";
  CommandResult sealed = Seal(id,
                              {"--lot", "2", "--form", "price=990.00", "--form", "duration_days=60",
                               "--doc", WriteFile("lot2.txt", "lot 2"), "-o", file},
                              "bidder2");
  ASSERT_EQ(sealed.exit_code, 0) << sealed.err;
  ASSERT_EQ(Bidctl("bidder2", {"bid", "submit", file}).exit_code, 0);
  for (const char* n : {"2", "1"}) {
    CommandResult c = Bidctl("agency1", {"tender", "cancel", id, "--lot", n, "--reason", "stop"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
  }
  int of_lot1 = 0;
  for (const v1::Event& e : Events(id)) of_lot1 += EventLot(e) == 0 || EventLot(e) == 1 ? 1 : 0;
  ASSERT_EQ(static_cast<int>(Events(id).size()), of_lot1 + 2) << "lot 2's bid and cancellation";

  CommandResult json = Bidctl("auditor1", {"--json", "opening", "watch", id + "/1"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::vector<std::string> rows = absl::StrSplit(json.out, '\n', absl::SkipEmpty());
  EXPECT_EQ(static_cast<int>(rows.size()), of_lot1) << json.out;
  EXPECT_FALSE(absl::StrContains(json.out, "\"lot\":2")) << json.out;
  CommandResult view = Bidctl("auditor1", {"opening", "watch", id + "/1"});
  ASSERT_EQ(view.exit_code, 0) << view.err;
  EXPECT_PRED2(Has, view.out, std::string("阶段 phase        已取消 CANCELLED"));
}

}  // namespace
}  // namespace bidopen::testing
