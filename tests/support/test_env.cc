#include "tests/support/test_env.h"

#include <libpq-fe.h>
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

std::string ConninfoValue(const std::string& conninfo, const char* keyword) {
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  std::string value;
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o)
    if (std::string(o->keyword) == keyword && o->val != nullptr) value = o->val;
  PQconninfoFree(options);
  return value;
}

TestDatabase::TestDatabase() : admin_(RequireEnv("BIDOPEN_TEST_PG")) {
  static std::atomic<int> counter{0};
  name_ = absl::StrCat("bo_test_", getpid(), "_", counter++);
  const std::string owner = RequireEnv("BIDOPEN_TEST_PG_OWNER");
  const std::string app = RequireEnv("BIDOPEN_TEST_PG_APP");
  auto conn = store::Conn::Open(admin_);
  if (!conn.ok()) {
    std::cerr << conn.status() << "\n";
    std::abort();
  }
  const std::string create =
      absl::StrCat("CREATE DATABASE ", name_, " OWNER \"", ConninfoValue(owner, "user"), "\"");
  if (auto st = (*conn)->Exec(create); !st.ok()) {
    std::cerr << st << "\n";
    std::abort();
  }
  conninfo_ = absl::StrCat(admin_, " dbname=", name_);
  owner_conninfo_ = absl::StrCat(owner, " dbname=", name_);
  app_conninfo_ = absl::StrCat(app, " dbname=", name_);
}

TestDatabase::~TestDatabase() {
  auto conn = store::Conn::Open(admin_);
  if (conn.ok())
    (void)(*conn)->Exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
}

}  // namespace bidopen::testing
