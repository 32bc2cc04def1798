// Review 4 R8 (Review4PocAForgedCancelledRowEndsAWaitingReleaseAndTheBidderIsBlamed,
// turned around): the application role alone (a DBA, no process control, no
// keys) marks a lot "cancelled" in its `tenders` row, which GetOpening
// serves as the lot's status. A bidder waiting with `bidctl opening decrypt
// --at-open` no longer gives up on that word: it says what the server claims
// and that the verified log does not confirm it, keeps waiting, and releases
// once the log shows the opening; its bid opens.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bidopen/fold/state.pb.h"
#include "server/store/pg.h"
#include "tests/e2e/bid_fixture.h"

namespace bidopen::testing {
namespace {

class ForgedStatusTest : public BidTest {
 protected:
  static std::string Rfc3339After(absl::Duration ahead) {
    absl::TimeZone tz;
    absl::LoadTimeZone("Asia/Shanghai", &tz);
    return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", absl::Now() + ahead, tz);
  }
  static bool Has(const std::string& text, const std::string& part) {
    return absl::StrContains(text, part);
  }

  // As the application role: the lot's row says cancelled.
  void ForgeCancelledRow(const std::string& id) {
    EditLotRow(id, [](fold::Lot* lot) {
      lot->set_status(v1::LOT_STATUS_CANCELLED);
      lot->set_cancel_reason("the agency cancelled lot 1 (budget withdrawn)");
    });
  }
};

TEST_F(ForgedStatusTest, AForgedCancelledRowEndsNoWaitingReleaseAndTheBidOpens) {
  RegisterKey("bidder1");
  CommandResult created = Bidctl(
      "agency1", {"--json", "tender", "create", "--title", "Bridges", "--timezone", "Asia/Shanghai",
                  "--deadline", Rfc3339After(absl::Seconds(20)), "--field", "price:decimal:CNY",
                  "--min-bids", "1", "--window", "10s", "--policy", "BIDDER", "--auto-start"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = TenderIdOf(created.out);
  const std::string lot = id + "/1";
  const std::string doc = WriteFile("offer.txt", "offer of bidder1 at 1234.50\n");
  CommandResult s = Seal(id, {"--form", "price=1234.50", "--doc", doc, "-o", out()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  ASSERT_EQ(Bidctl("bidder1", {"bid", "submit", out()}).exit_code, 0);
  ForgeCancelledRow(id);

  // Started before the opening, as documented: it waits through the forged
  // row, and releases once the log shows the (auto-started) opening.
  CommandResult waiting = Bidctl("bidder1", {"opening", "decrypt", lot, "--at-open"});
  EXPECT_EQ(waiting.exit_code, 0) << waiting.out << waiting.err;
  EXPECT_TRUE(Has(waiting.err, "the lot is cancelled")) << waiting.err;
  EXPECT_TRUE(Has(waiting.err, "as its verified log folds it does not")) << waiting.err;
  EXPECT_TRUE(Has(waiting.err, "not giving up, waiting")) << waiting.err;
  EXPECT_TRUE(Has(waiting.out, "Released: the secret of your bid #")) << waiting.out;

  CommandResult status;
  for (int i = 0; i < 150 && !Has(status.out, "decryption ended"); ++i) {
    absl::SleepFor(absl::Milliseconds(300));
    status = Bidctl("supervisor1", {"opening", "status", lot});
  }
  ASSERT_TRUE(Has(status.out, "decryption ended")) << status.out << ServerLog();
  EXPECT_FALSE(Has(status.out, "视为撤销")) << status.out;
  EXPECT_TRUE(Has(status.out, "DECRYPTED")) << status.out;
}

}  // namespace
}  // namespace bidopen::testing
