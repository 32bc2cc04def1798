// The database behind credentials (issue 10, docs/operations.md "Database
// roles"): every role needs its password, and the application role bidopend
// serves as can append to the log but neither change it nor switch off its
// guards.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/store/migrations.h"
#include "server/store/pg.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"

namespace bidopen::testing {
namespace {

bool Has(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

std::unique_ptr<store::Conn> MustOpen(const std::string& conninfo) {
  auto conn = store::Conn::Open(conninfo);
  if (!conn.ok()) {
    ADD_FAILURE() << conn.status();
    std::abort();
  }
  return *std::move(conn);
}

class DbRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto applied = store::Migrate(*MustOpen(db_.owner_conninfo()), store::EmbeddedMigrations());
    ASSERT_TRUE(applied.ok()) << applied.status();
    app_ = MustOpen(db_.app_conninfo());
  }

  // `sql` as the application role fails, saying `why`.
  void ExpectRefused(const std::string& sql, const std::string& why) {
    absl::Status st = app_->Exec(sql);
    EXPECT_FALSE(st.ok()) << sql;
    EXPECT_TRUE(Has(st.message(), why)) << sql << "\n" << st;
  }

  // The cluster's address with `role` and no password anywhere.
  static std::string WithoutPassword(const std::string& role) {
    return absl::StrCat(RequireEnv("BIDOPEN_TEST_PG"), " user=", role,
                        " passfile=/nonexistent/pgpass");
  }

  TestDatabase db_;
  std::unique_ptr<store::Conn> app_;
};

TEST_F(DbRolesTest, TheApplicationRoleAppendsToTheLogButCannotChangeIt) {
  // What the server does: append and read.
  ASSERT_TRUE(app_->Exec("INSERT INTO events (seq, kind, body) VALUES (0, 'k', '\\x00')").ok());
  auto read = app_->Query("SELECT kind FROM events");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->rows(), 1);

  for (const char* sql :
       {"UPDATE events SET kind = 'x'", "DELETE FROM events", "TRUNCATE events",
        "UPDATE merkle_nodes SET hash = hash", "DELETE FROM tree_heads",
        "UPDATE bids SET receipt = ''", "DELETE FROM bids", "UPDATE bid_uploads SET bidder = 'x'"})
    ExpectRefused(sql, "permission denied for table");
  for (const char* sql :
       {"ALTER TABLE events DISABLE TRIGGER events_no_update",
        "ALTER TABLE events DISABLE TRIGGER USER", "DROP TRIGGER events_no_truncate ON events",
        "ALTER TABLE events ADD COLUMN x int", "DROP TABLE events"})
    ExpectRefused(sql, "must be owner of");  // "of table events" ("relation" for DROP TRIGGER)
  ExpectRefused(
      "CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger"
      " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
      "permission denied for schema public");
  // The other ways around a trigger, and out of the database.
  ExpectRefused("SET session_replication_role = replica", "permission denied to set parameter");
  ExpectRefused("COPY events TO PROGRAM 'true'", "COPY to or from an external program");
  ExpectRefused("CREATE TABLE t (x int)", "permission denied for schema public");

  auto after = app_->Query("SELECT kind FROM events");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->Bytes(0, 0), "k");
}

// The refusals above come from the role, not from the statements: the owner
// may disable the trigger, which is why bidopend will not serve as the owner.
TEST_F(DbRolesTest, TheOwnerMayDisableTheTriggerTheApplicationRoleMayNot) {
  auto owner = MustOpen(db_.owner_conninfo());
  absl::Status st = owner->Exec(
      "BEGIN; ALTER TABLE events DISABLE TRIGGER events_no_update;"
      " ALTER TABLE events ENABLE TRIGGER events_no_update; ROLLBACK");
  EXPECT_TRUE(st.ok()) << st;
}

// Every table, and exactly what the application role may do with it. A new
// table is a decision about these rights: add it here.
TEST_F(DbRolesTest, TheApplicationRoleHasExactlyTheGrantsTheServerNeeds) {
  const std::map<std::string, std::string> expected = {
      {"bid_chunks", "SELECT INSERT DELETE"},
      {"bid_restorations", "SELECT INSERT"},
      {"bid_states", "SELECT INSERT UPDATE DELETE"},
      {"bid_statements", "SELECT INSERT DELETE"},
      {"bid_uploads", "SELECT INSERT UPDATE(received,header_sha256,state,deadline_us)"},
      {"bids", "SELECT INSERT UPDATE(withdrawal)"},
      {"events", "SELECT INSERT"},
      {"log_head", "SELECT UPDATE"},
      {"lot_schedule", "SELECT INSERT UPDATE DELETE"},
      {"merkle_nodes", "SELECT INSERT"},
      {"opened_bids", "SELECT INSERT"},
      {"opening_records", "SELECT INSERT"},
      {"party_keys", "SELECT INSERT UPDATE DELETE"},
      {"projection_state", "SELECT UPDATE"},
      {"releases", "SELECT INSERT"},
      {"revoked_certificates", "SELECT INSERT UPDATE DELETE"},
      {"schema_migrations", "SELECT"},
      {"tenders", "SELECT INSERT UPDATE DELETE"},
      {"tree_heads", "SELECT INSERT"},
  };
  auto conn = MustOpen(db_.conninfo());
  auto r = conn->Query(
      "SELECT c.relname::text, concat_ws(' ',"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'SELECT') THEN 'SELECT' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'INSERT') THEN 'INSERT' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'UPDATE') THEN 'UPDATE'"
      "  WHEN has_any_column_privilege(a.r, c.oid, 'UPDATE') THEN 'UPDATE(' ||"
      "   (SELECT string_agg(t.attname, ',' ORDER BY t.attnum) FROM pg_attribute t"
      "    WHERE t.attrelid = c.oid AND t.attnum > 0 AND NOT t.attisdropped"
      "    AND has_column_privilege(a.r, c.oid, t.attnum, 'UPDATE')) || ')' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'DELETE') THEN 'DELETE' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'REFERENCES') THEN 'REFERENCES' END,"
      " CASE WHEN has_table_privilege(a.r, c.oid, 'TRIGGER') THEN 'TRIGGER' END,"
      " CASE WHEN pg_has_role(a.r, c.relowner, 'MEMBER') THEN 'OWNER' END)"
      " FROM pg_class c, (SELECT 'bidopen_app'::name AS r) a"
      " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
      " ORDER BY 1");
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, std::string> actual;
  for (int i = 0; i < r->rows(); ++i)
    actual[std::string(r->Bytes(i, 0))] = std::string(r->Bytes(i, 1));
  EXPECT_EQ(actual, expected);

  // Nobody else may even connect to the database.
  auto open = conn->Query(
      "SELECT count(*)::int4 FROM pg_database d, aclexplode(d.datacl) a"
      " WHERE d.datname = current_database() AND a.grantee = 0");
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->Int32(0, 0), 0) << "PUBLIC has privileges on the database";
}

TEST_F(DbRolesTest, EveryRoleNeedsItsPassword) {
  for (const std::string& conninfo :
       {RequireEnv("BIDOPEN_TEST_PG"), RequireEnv("BIDOPEN_TEST_PG_OWNER"),
        RequireEnv("BIDOPEN_TEST_PG_APP")}) {
    const std::string role = ConninfoValue(conninfo, "user");
    ASSERT_FALSE(role.empty()) << conninfo;
    // With its password file it connects: the refusals below are about the password.
    EXPECT_TRUE(store::Conn::Open(conninfo).ok()) << role;
    auto none = store::Conn::Open(WithoutPassword(role));
    ASSERT_FALSE(none.ok()) << role << " connected without a password";
    EXPECT_TRUE(Has(none.status().message(), "no password supplied")) << none.status();
    auto wrong = store::Conn::Open(WithoutPassword(role) + " password=guess");
    ASSERT_FALSE(wrong.ok()) << role << " connected with a wrong password";
    EXPECT_TRUE(Has(wrong.status().message(), "password authentication failed for user \"" + role))
        << wrong.status();
  }
}

std::string Psql() {
  for (const char* v : {"17", "16", "15"}) {
    std::string p = absl::StrCat("/usr/lib/postgresql/", v, "/bin/psql");
    if (std::filesystem::exists(p)) return p;
  }
  return std::filesystem::exists("/usr/bin/psql") ? "/usr/bin/psql" : "";
}

// The attack of issue 10: another local user runs psql against the cluster as
// its superuser. As root the test is that user (nobody); otherwise it is this
// user without the password file, which is what another user would lack.
TEST_F(DbRolesTest, PsqlAsAnotherOsUserWithoutThePasswordIsRefused) {
  const std::string psql = Psql();
  if (psql.empty()) GTEST_SKIP() << "psql is not installed (apt-get install postgresql-client)";
  const std::string admin = RequireEnv("BIDOPEN_TEST_PG");
  std::vector<std::string> argv = {psql,
                                   "-X",
                                   "-w",
                                   "-h",
                                   ConninfoValue(admin, "host"),
                                   "-p",
                                   ConninfoValue(admin, "port"),
                                   "-U",
                                   ConninfoValue(admin, "user"),
                                   "-d",
                                   "postgres",
                                   "-A",
                                   "-t",
                                   "-c",
                                   "SELECT count(*) FROM pg_roles"};
  // With the password file (readable by this user only), psql gets in.
  CommandResult mine =
      RunCommand(argv, {"PGPASSWORD=", "PGPASSFILE=" + ConninfoValue(admin, "passfile")});
  ASSERT_EQ(mine.exit_code, 0) << mine.err;

  std::vector<std::string> env = {"PGPASSWORD=", "PGPASSFILE=/nonexistent/pgpass"};
  if (geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "nobody", "--"});
    // nobody may point psql at our password file, but cannot read it.
    env = {"PGPASSWORD=", "PGPASSFILE=" + ConninfoValue(admin, "passfile")};
    CommandResult cat = RunCommand(
        {"/usr/sbin/runuser", "-u", "nobody", "--", "/bin/cat", ConninfoValue(admin, "passfile")});
    EXPECT_NE(cat.exit_code, 0) << "nobody read the password file";
    EXPECT_TRUE(Has(cat.err, "Permission denied")) << cat.err;
  } else {
    std::cerr << "not root: running psql as this user without the password file\n";
  }
  CommandResult other = RunCommand(argv, env);
  EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
  EXPECT_TRUE(Has(other.err, "no password supplied")) << other.err;
  EXPECT_EQ(other.out, "");
}

}  // namespace
}  // namespace bidopen::testing
