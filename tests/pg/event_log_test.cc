// The event log in a real PostgreSQL: gapless seq in commit order, atomic
// commands, append-only rows, migrations, query tables rebuilt from events.
#include <atomic>
#include <thread>

#include "core/opening/event_codec.h"
#include "core/opening/limits.h"
#include "core/opening/time_text.h"
#include "server/store/queries.h"
#include "tests/pg/store_fixture.h"

namespace bidopen::testing {
namespace {

v1::Event KeyEvent(const std::string& fingerprint) {
  v1::Event e;
  e.mutable_actor()->set_fingerprint(fingerprint);
  e.mutable_actor()->set_organization("Custodian " + fingerprint);
  e.mutable_actor()->set_role(v1::ROLE_CUSTODIAN);
  e.mutable_key_registered()->set_x25519_public_key(std::string(32, 'k'));
  return e;
}

absl::Status AppendOne(store::EventLog& log, const std::string& fp) {
  return log.Run([&](store::CommandTx& tx) { return tx.Append(KeyEvent(fp)).status(); });
}

TEST_F(StoreTest, MigrationsAreRecordedAndNotReapplied) {
  auto conn = OwnerConn();
  auto again = store::Migrate(*conn, store::EmbeddedMigrations());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
  auto r = conn->Query("SELECT count(*)::int4 FROM schema_migrations");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Int32(0, 0), static_cast<int>(store::EmbeddedMigrations().size()));
}

// libpq would cut a text parameter at its NUL: such a query is refused, so
// SQL never sees another string than the one given (issue 10 item 1).
TEST_F(StoreTest, ATextParameterWithANulIsRefusedNotCut) {
  auto conn = Conn();
  auto r = conn->Query("SELECT $1::text", store::Params().Text(std::string("T-X\0y", 5)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("text parameter $1 holds a NUL byte"), std::string::npos)
      << r.status();
  auto ok = conn->Query("SELECT $1::text", store::Params().Text("T-Xy"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->Bytes(0, 0), "T-Xy");
}

// No event over limits::kMaxEventBytes is appended; nothing is written and
// the log goes on (issue 10 item 1).
TEST_F(StoreTest, AnEventOverTheSizeLimitIsRefusedBeforeAnythingIsWritten) {
  v1::Event big = KeyEvent("fp-big");
  big.mutable_actor()->set_organization(std::string(limits::kMaxEventBytes, 'x'));
  absl::Status st = log_->Run([&](store::CommandTx& tx) { return tx.Append(big).status(); });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_NE(st.message().find("the key_registered event this request makes would be"),
            std::string::npos)
      << st;
  auto size = log_->Size();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0u);
  ASSERT_TRUE(AppendOne(*log_, "fp-small").ok());
}

TEST_F(StoreTest, ConcurrentAppendsGetGaplessSeqInCommitOrder) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        ASSERT_TRUE(AppendOne(*log_, absl::StrCat("fp", t, "_", i)).ok());
    });
  for (auto& th : threads) th.join();
  auto size = log_->Size();
  ASSERT_TRUE(size.ok());
  ASSERT_EQ(*size, kThreads * kEach);
  auto conn = Conn();
  auto events = store::EventLog::ReadRange(*conn, 0, *size);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].seq(), i);
    if (i > 0) {
      EXPECT_GE(FromProto((*events)[i].time()), FromProto((*events)[i - 1].time()));
    }
  }
}

TEST_F(StoreTest, FailedCommandLeavesNothingAndConsumesNoSeq) {
  ASSERT_TRUE(AppendOne(*log_, "first").ok());
  absl::Status st = log_->Run([&](store::CommandTx& tx) -> absl::Status {
    if (auto e = tx.Append(KeyEvent("doomed")); !e.ok()) return e.status();
    return absl::FailedPreconditionError("refused after appending");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AppendOne(*log_, "second").ok());
  auto conn = Conn();
  auto events = store::EventLog::ReadRange(*conn, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].seq(), 1u);
  EXPECT_EQ((*events)[1].actor().fingerprint(), "second");
  auto keys = store::ListKeys(*conn, v1::ROLE_CUSTODIAN);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 2u);  // "doomed" never reached the query table
}

TEST_F(StoreTest, BatchedCommandsFailingBeforeOrAfterWritingLeaveTheOthersIntact) {
  constexpr int kThreads = 6, kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int kind = (t + i) % 3;  // 0: ok, 1: refused before writing, 2: after
        std::string fp = absl::StrCat("fp", t, "_", i);
        absl::Status st = log_->Run([&](store::CommandTx& tx) -> absl::Status {
          if (kind == 1) return absl::FailedPreconditionError("refused before writing");
          if (auto e = tx.Append(KeyEvent(fp)); !e.ok()) return e.status();
          if (kind == 2) return absl::FailedPreconditionError("refused after writing");
          return absl::OkStatus();
        });
        EXPECT_EQ(st.ok(), kind == 0) << st;
        if (!st.ok()) {
          EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
          ++refused;
        }
      }
    });
  for (auto& th : threads) th.join();
  const uint64_t ok = kThreads * kEach - refused.load();
  ASSERT_EQ(*log_->Size(), ok);
  auto conn = Conn();
  auto events = store::EventLog::ReadRange(*conn, 0, ok + 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), ok);
  auto keys = store::ListKeys(*conn, v1::ROLE_CUSTODIAN);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), ok);
  for (size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].seq(), i);
  EXPECT_EQ(tree_.committed_size(), ok);
}

TEST_F(StoreTest, StoredBytesAreTheEncodedEvent) {
  absl::Status st = AppendOne(*log_, "fp");
  ASSERT_TRUE(st.ok()) << st;
  auto conn = Conn();
  auto r = conn->Query("SELECT body FROM events WHERE seq = 0");
  ASSERT_TRUE(r.ok());
  auto events = store::EventLog::ReadRange(*conn, 0, 1);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(std::string(r->Bytes(0, 0)), EncodeEvent((*events)[0]));
}

// Even for the owner role (the application role may not try: db_roles_test.cc).
TEST_F(StoreTest, EventsRefuseUpdateDeleteAndTruncate) {
  ASSERT_TRUE(AppendOne(*log_, "fp").ok());
  auto conn = OwnerConn();
  for (const char* sql :
       {"UPDATE events SET kind = 'x'", "DELETE FROM events", "TRUNCATE events"}) {
    absl::Status st = conn->Exec(sql);
    EXPECT_FALSE(st.ok()) << sql;
    EXPECT_NE(st.message().find("append-only"), absl::string_view::npos) << st;
  }
}

TEST_F(StoreTest, RebuildFromEventsEqualsIncrementalQueryTables) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(AppendOne(*log_, absl::StrCat("fp", i)).ok());
  auto conn = Conn();
  auto before = store::ListKeys(*conn, v1::ROLE_UNSPECIFIED);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(
      conn->Exec("DELETE FROM party_keys; UPDATE projection_state SET applied_size = 0").ok());
  auto rebuilt = store::Projector::EnsureCurrent(*conn);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_TRUE(*rebuilt);
  auto after = store::ListKeys(*conn, v1::ROLE_UNSPECIFIED);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < after->size(); ++i)
    EXPECT_EQ((*after)[i].SerializeAsString(), (*before)[i].SerializeAsString());
  auto again = store::Projector::EnsureCurrent(*conn);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

}  // namespace
}  // namespace bidopen::testing
