#include <set>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "server/store/migrations.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr int64_t kMigrationLock = 0x6269646f70656e;  // "bidopen"

absl::StatusOr<bool> Applied(Conn& conn, const std::string& name) {
  BO_ASSIGN_OR_RETURN(
      Result r, conn.Query("SELECT 1 FROM schema_migrations WHERE name = $1", Params().Text(name)));
  return r.rows() > 0;
}

absl::Status ApplyOne(Conn& conn, const Migration& m) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  absl::Status st = conn.Exec(m.sql);
  if (!st.ok())
    return absl::Status(st.code(), absl::StrCat("migration ", m.name, ": ", st.message()));
  BO_RETURN_IF_ERROR(
      conn.Query("INSERT INTO schema_migrations (name) VALUES ($1)", Params().Text(m.name))
          .status());
  return tx.Commit();
}

absl::StatusOr<int> MigrateLocked(Conn& conn, const std::vector<Migration>& all) {
  BO_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
  int applied = 0;
  for (const Migration& m : all) {
    BO_ASSIGN_OR_RETURN(bool done, Applied(conn, m.name));
    if (done) continue;
    BO_RETURN_IF_ERROR(ApplyOne(conn, m));
    ++applied;
  }
  return applied;
}

}  // namespace

absl::StatusOr<int> Migrate(Conn& conn, const std::vector<Migration>& all) {
  Params lock;
  lock.Int(kMigrationLock);
  BO_RETURN_IF_ERROR(conn.Query("SELECT pg_advisory_lock($1::bigint)", lock).status());
  auto result = MigrateLocked(conn, all);
  (void)conn.Query("SELECT pg_advisory_unlock($1::bigint)", lock);
  return result;
}

absl::StatusOr<std::vector<std::string>> Pending(Conn& conn, const std::vector<Migration>& all) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Query("SELECT name FROM schema_migrations"));
  std::set<std::string> applied;
  for (int i = 0; i < r.rows(); ++i) applied.emplace(r.Bytes(i, 0));
  std::vector<std::string> pending;
  for (const Migration& m : all)
    if (!applied.contains(m.name)) pending.push_back(m.name);
  return pending;
}

}  // namespace bidopen::store
