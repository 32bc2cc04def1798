// A fresh database, migrated by the owner role, with a pool of the application
// role (as bidopend's), an event log and a fake clock.
#ifndef BIDOPEN_TESTS_PG_STORE_FIXTURE_H_
#define BIDOPEN_TESTS_PG_STORE_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>

#include "server/store/event_log.h"
#include "server/store/merkle_tree.h"
#include "server/store/migrations.h"
#include "server/store/pool.h"
#include "server/store/projector.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_env.h"

namespace bidopen::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto applied = store::Migrate(*OwnerConn(), store::EmbeddedMigrations());
    ASSERT_TRUE(applied.ok()) << applied.status();
    auto pool = store::Pool::Create(db_.app_conninfo(), 4);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    auto conn = pool_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto rebuilt = store::Projector::EnsureCurrent(**conn);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
    log_ = std::make_unique<store::EventLog>(*pool_, clock_, tree_);
  }

  store::Pool::Lease Conn() { return *pool_->Acquire(); }
  // A connection as the owner role (aborts the test run if it cannot connect).
  std::unique_ptr<store::Conn> OwnerConn() {
    auto conn = store::Conn::Open(db_.owner_conninfo());
    if (!conn.ok()) {
      ADD_FAILURE() << conn.status();
      std::abort();
    }
    return *std::move(conn);
  }

  TestDatabase db_;
  // Starts at this second: the test PKI's certificates are issued at the run's
  // start, and receipts are checked against them as of the receive time.
  FakeClock clock_{absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()))};
  std::unique_ptr<store::Pool> pool_;
  store::MerkleTree tree_;
  std::unique_ptr<store::EventLog> log_;
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_PG_STORE_FIXTURE_H_
