// bidopend serves only as the application role (docs/operations.md, "Database roles").
#ifndef BIDOPEN_SERVER_STORE_SERVING_ROLE_H_
#define BIDOPEN_SERVER_STORE_SERVING_ROLE_H_

#include <vector>

#include "absl/status/status.h"
#include "server/store/migrations.h"
#include "server/store/pg.h"

namespace bidopen::store {

// REQUIRES: `conn` is a connection of bidopend's --database.
// FAILED_PRECONDITION, saying what to do, when a migration of `all` is not
// applied (migrations run as the owner role: `bidopend --migrate-only`), or
// when the connected role is a superuser or may act as the event log's owner:
// either could disable the append-only triggers.
absl::Status CheckServingRole(Conn& conn, const std::vector<Migration>& all);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_SERVING_ROLE_H_
