// Numbered SQL migrations, embedded in the binary, applied at start-up.
#ifndef BIDOPEN_SERVER_STORE_MIGRATIONS_H_
#define BIDOPEN_SERVER_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/pg.h"

namespace bidopen::store {

struct Migration {
  std::string name;  // "0001_event_log.sql": the number orders them
  std::string sql;
};

const std::vector<Migration>& EmbeddedMigrations();

// Applies, each in its own transaction and under an advisory lock (so two
// replicas starting together don't race), the migrations not yet recorded in
// schema_migrations. Returns how many were applied.
absl::StatusOr<int> Migrate(Conn& conn, const std::vector<Migration>& all);

// The names of the migrations in `all` that schema_migrations does not record.
absl::StatusOr<std::vector<std::string>> Pending(Conn& conn, const std::vector<Migration>& all);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_MIGRATIONS_H_
