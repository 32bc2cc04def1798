// What the test scripts hand to tests/pg and tests/e2e (deploy/test.sh):
// BIDOPEN_TEST_PG, BIDOPEN_TEST_PG_OWNER and BIDOPEN_TEST_PG_APP (conninfos of
// a private cluster as its superuser, the owner role and the application role,
// each with its pgpass file), BIDOPEN_TEST_PKI and BIDOPEN_TEST_FOREIGN_PKI
// (development PKIs from deploy/pki.sh).
#ifndef BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_
#define BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_

#include <string>

namespace bidopen::testing {

// The variable's value; aborts the test run naming it if unset.
std::string RequireEnv(const char* name);

// The value of `keyword` in a libpq conninfo ("" if absent or unparsable).
std::string ConninfoValue(const std::string& conninfo, const char* keyword);

// Creates a new, empty database in the BIDOPEN_TEST_PG cluster, owned by the
// owner role as in production, and drops it on destruction.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  // As the cluster's superuser: for tests that play a database administrator.
  const std::string& conninfo() const { return conninfo_; }
  // As the owner role, which runs the migrations (bidopend --migrate-only).
  const std::string& owner_conninfo() const { return owner_conninfo_; }
  // As the application role, which bidopend serves as.
  const std::string& app_conninfo() const { return app_conninfo_; }

 private:
  std::string admin_;
  std::string name_;
  std::string conninfo_;
  std::string owner_conninfo_;
  std::string app_conninfo_;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_
