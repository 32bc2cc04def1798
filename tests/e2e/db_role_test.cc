// bidopend serves only as the application role, on a migrated schema
// (docs/operations.md, "Database roles"): a careless --database is refused at
// start-up with what to do, rather than served with the power to rewrite the log.
#include "tests/e2e/e2e_fixture.h"

namespace bidopen::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DbRoleTest : public E2eTest {
 protected:
  // Runs bidopend on `conninfo` until it exits (it should not start serving).
  CommandResult Serve(const std::string& conninfo) {
    return RunCommand(ServerArgs(conninfo, "127.0.0.1:0", dir_.path() + "/refused.port"));
  }
};

TEST_F(DbRoleTest, BidopendRefusesToServeAsASuperuserOrAsTheOwner) {
  CommandResult super = Serve(db_.conninfo());
  EXPECT_EQ(super.exit_code, 1);
  EXPECT_TRUE(Has(super.err, "--database connects as role " +
                                 ConninfoValue(db_.conninfo(), "user") +
                                 ", a superuser: bidopend serves only as the application role"
                                 " (bidopen_app)"))
      << super.err;
  CommandResult owner = Serve(db_.owner_conninfo());
  EXPECT_EQ(owner.exit_code, 1);
  EXPECT_TRUE(Has(owner.err, "--database connects as role bidopen_owner, which owns the event log"))
      << owner.err;
  // The application role is what the fixture's server runs as: it serves.
  EXPECT_EQ(Bidctl("auditor1", {"tender", "list"}).exit_code, 0);
}

TEST_F(DbRoleTest, AnUnmigratedDatabaseIsRefusedSayingToMigrateAsTheOwner) {
  TestDatabase fresh;
  CommandResult r = Serve(fresh.app_conninfo());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "run `bidopend --migrate-only --database <conninfo of the owner role>`"))
      << r.err;
  // The application role may not migrate it either.
  CommandResult migrate =
      RunCommand({BIDOPEND_PATH, "--migrate-only", "--database", fresh.app_conninfo()});
  EXPECT_EQ(migrate.exit_code, 1);
  EXPECT_TRUE(Has(migrate.err, "permission denied for schema public")) << migrate.err;
  // Migrated by its owner, it serves.
  KillServer();
  StartServer(&fresh);
  EXPECT_EQ(Bidctl("auditor1", {"tender", "list"}).exit_code, 0);
}

}  // namespace
}  // namespace bidopen::testing
