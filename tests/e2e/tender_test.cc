// bidctl tender create|list|show|amend|cancel against a real bidopend.
#include <unistd.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(E2eTest, CreateThenShowInTheTendersTimeZone) {
  std::string id = CreateTender({{"--reference", "ZB-2030-118"}});
  ASSERT_FALSE(id.empty());
  CommandResult r = Bidctl("bidder1", {"tender", "show", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "Road resurfacing")) << r.out;
  std::string local = InDays(30);  // "YYYY-MM-DD 09:30" in Asia/Shanghai
  local[10] = 'T';
  EXPECT_TRUE(Has(r.out, local + ":00+08:00")) << r.out;
  EXPECT_TRUE(Has(r.out, "price decimal CNY")) << r.out;
  EXPECT_TRUE(Has(r.out, "minimum valid bids   3")) << r.out;
}

TEST_F(E2eTest, OpeningBeforeDeadlineIsInvalidArgumentNamingTheField) {
  std::string day = InDays(30).substr(0, 10);
  CommandResult r =
      Bidctl("agency1", {"tender", "create", "--title", "x", "--timezone", "Asia/Shanghai",
                         "--deadline", day + " 09:30", "--opening", day + " 09:00", "--field",
                         "price:decimal", "--policy", "BIDDER"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "INVALID_ARGUMENT: lots[0].opening_time: " + day +
                             "T09:00:00+08:00 is before the submission deadline " + day +
                             "T09:30:00+08:00"))
      << r.err;
}

TEST_F(E2eTest, DeadlineInThePastAndUnknownCustodianAreRefused) {
  CommandResult past =
      Bidctl("agency1", {"tender", "create", "--title", "x", "--deadline", "2020-01-01 09:00",
                         "--field", "price:decimal", "--policy", "BIDDER"});
  EXPECT_EQ(past.exit_code, 1);
  EXPECT_TRUE(Has(past.err,
                  "lots[0].submission_deadline: 2020-01-01T09:00:00+00:00 is in "
                  "the past"))
      << past.err;
  std::string fp(64, 'a');
  CommandResult unknown =
      Bidctl("agency1", {"tender", "create", "--title", "x", "--deadline", InDays(30), "--field",
                         "price:decimal", "--policy", "QUORUM", "--custodian", fp, "--custodian",
                         std::string(64, 'b'), "--threshold", "2"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(Has(unknown.err, "lots[0].custodians[0]: unknown custodian \"" + fp)) << unknown.err;
}

TEST_F(E2eTest, CustodiansByNameAfterTheyRegisterKeys) {
  for (const char* c : {"custodian1", "custodian2", "custodian3"}) {
    CommandResult r = Bidctl(c, {"identity", "register-key"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CommandResult r =
      Bidctl("agency1", {"tender", "create", "--title", "Bridge", "--deadline", InDays(30),
                         "--field", "price:decimal", "--custodian", "Custodian One", "--custodian",
                         "Custodian Two", "--custodian", "Custodian Three", "--threshold", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "opening policy       ANY, custodians 2 of 3")) << r.out;
}

TEST_F(E2eTest, TendersSurviveKillNineAndRestart) {
  std::string a = CreateTender(), b = CreateTender();
  CommandResult before = Bidctl("auditor1", {"--json", "tender", "list"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  KillServer();
  StartServer();
  CommandResult after = Bidctl("auditor1", {"--json", "tender", "list"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_TRUE(Has(after.out, a) && Has(after.out, b)) << after.out;
}

TEST_F(E2eTest, AmendOnlyBeforeTheDeadline) {
  std::string soon =
      absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now() + absl::Seconds(3), absl::UTCTimeZone());
  std::string id = CreateTender({{"--timezone", "UTC"}, {"--deadline", soon}});
  ASSERT_FALSE(id.empty());
  CommandResult ok = Bidctl(
      "agency1", {"tender", "amend", id, "--deadline", InDays(60), "--reason", "addendum 1"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(Has(ok.out, "[POSTPONED]")) << ok.out;
  EXPECT_TRUE(Has(ok.out, "reason: addendum 1")) << ok.out;

  std::string id2 = CreateTender({{"--timezone", "UTC"}, {"--deadline", soon}});
  absl::SleepFor(absl::Seconds(4));
  CommandResult late =
      Bidctl("agency1", {"tender", "amend", id2, "--deadline", InDays(60), "--reason", "too late"});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_TRUE(Has(late.err, "FAILED_PRECONDITION: submission deadline")) << late.err;
  EXPECT_TRUE(Has(late.err, "ago; a lot can be amended only before its deadline")) << late.err;

  CommandResult no_reason =
      Bidctl("agency1", {"tender", "amend", id, "--deadline", InDays(90), "--reason", ""});
  EXPECT_EQ(no_reason.exit_code, 1);
  EXPECT_TRUE(Has(no_reason.err, "INVALID_ARGUMENT: reason: required")) << no_reason.err;
}

TEST_F(E2eTest, CancelWithReasonHidesFromDefaultList) {
  std::string id = CreateTender();
  CommandResult other = Bidctl("bidder1", {"tender", "cancel", id, "--reason", "no"});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_TRUE(Has(other.err, "PERMISSION_DENIED")) << other.err;
  CommandResult r = Bidctl("agency1", {"tender", "cancel", id, "--reason", "budget cut"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "CANCELLED   budget cut")) << r.out;
  EXPECT_FALSE(Has(Bidctl("agency1", {"tender", "list"}).out, id));
  EXPECT_TRUE(Has(Bidctl("agency1", {"tender", "list", "--all"}).out, id));
  CommandResult again = Bidctl("agency1", {"tender", "cancel", id, "--reason", "again"});
  EXPECT_TRUE(Has(again.err, "FAILED_PRECONDITION: tender " + id + " is already cancelled"))
      << again.err;
}

TEST_F(E2eTest, UnknownTenderIsNotFound) {
  CommandResult r = Bidctl("bidder1", {"tender", "show", "T-0000000000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "NOT_FOUND: tender T-0000000000 not found")) << r.err;
}

// Ids are checked against their documented form at the edge (issue 10 item 1).
TEST_F(E2eTest, AMalformedTenderIdIsInvalidNamingTheForm) {
  CommandResult r = Bidctl("bidder1", {"tender", "show", "T-DOESNOTEXIST"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "INVALID_ARGUMENT: tender_id: \"T-DOESNOTEXIST\" is not a tender id"))
      << r.err;
}

TEST_F(E2eTest, ProfileSavesConnectionSettings) {
  CommandResult save = Bidctl("agency1", {"profile", "save", "agency"});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  CommandResult r = RunCommand({BIDCTL_PATH, "-p", "agency", "identity", "whoami"},
                               {"BIDOPEN_CONFIG_DIR=" + dir_.path() + "/config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "Example Procurement Agency")) << r.out;
  CommandResult none = RunCommand({BIDCTL_PATH, "identity", "whoami"},
                                  {"BIDOPEN_CONFIG_DIR=" + dir_.path() + "/empty"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_TRUE(Has(none.err, "no --server given")) << none.err;
}

}  // namespace
}  // namespace bidopen::testing
