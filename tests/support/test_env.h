// What the test scripts hand to tests/pg and tests/e2e (deploy/test.sh):
// BIDOPEN_TEST_PG (conninfo of a private cluster), BIDOPEN_TEST_PKI and
// BIDOPEN_TEST_FOREIGN_PKI (development PKIs from deploy/pki.sh).
#ifndef BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_
#define BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_

#include <string>

namespace bidopen::testing {

// The variable's value; aborts the test run naming it if unset.
std::string RequireEnv(const char* name);

// Creates a new, empty database in the BIDOPEN_TEST_PG cluster and drops it
// on destruction. conninfo() points at it.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string admin_;
  std::string name_;
  std::string conninfo_;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_SUPPORT_TEST_ENV_H_
