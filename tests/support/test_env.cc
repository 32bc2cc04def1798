#include "tests/support/test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "server/store/pg.h"

namespace bidopen::testing {

std::string RequireEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    std::cerr << name << " is not set: run the tests through deploy/test.sh, which "
              << "starts a private PostgreSQL and makes the test PKI\n";
    std::abort();
  }
  return v;
}

TestDatabase::TestDatabase() : admin_(RequireEnv("BIDOPEN_TEST_PG")) {
  static std::atomic<int> counter{0};
  name_ = absl::StrCat("bo_test_", getpid(), "_", counter++);
  auto conn = store::Conn::Open(admin_);
  if (!conn.ok()) {
    std::cerr << conn.status() << "\n";
    std::abort();
  }
  if (auto st = (*conn)->Exec(absl::StrCat("CREATE DATABASE ", name_)); !st.ok()) {
    std::cerr << st << "\n";
    std::abort();
  }
  conninfo_ = absl::StrCat(admin_, " dbname=", name_);
}

TestDatabase::~TestDatabase() {
  auto conn = store::Conn::Open(admin_);
  if (conn.ok())
    (void)(*conn)->Exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
}

}  // namespace bidopen::testing
