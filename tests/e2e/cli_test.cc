// bidctl's answers to a command line it does not understand: the word, the
// command it was given to, and the nearest command, as git and kubectl say it.
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

using CliTest = E2eTest;

TEST_F(CliTest, AMistypedCommandNamesTheWordAndTheNearestCommand) {
  CommandResult r = Bidctl("bidder1", {"bid", "sael", "--tender", "T-1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err,
                  "\"sael\" is not a command of `bidctl bid`; did you mean `bidctl bid "
                  "seal`?"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "commands: seal, submit")) << r.err;
  EXPECT_FALSE(Has(r.err, "A subcommand is required")) << r.err;
  CommandResult top = Bidctl("bidder1", {"tendr", "list"});
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_TRUE(Has(top.err, "did you mean `bidctl tender`?")) << top.err;
}

TEST_F(CliTest, AWordFarFromEveryCommandGetsNoGuess) {
  CommandResult r = Bidctl("bidder1", {"audit", "frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "\"frobnicate\" is not a command of `bidctl audit`")) << r.err;
  EXPECT_FALSE(Has(r.err, "did you mean")) << r.err;
}

TEST_F(CliTest, AGroupWithoutACommandListsItsCommands) {
  CommandResult r = Bidctl("bidder1", {"audit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "`bidctl audit` needs a command: head, fetch, verify, replay")) << r.err;
}

}  // namespace
}  // namespace bidopen::testing
