#include "server/store/serving_role.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr const char* kMigrateFirst =
    "run `bidopend --migrate-only --database <conninfo of the owner role>` first"
    " (docs/operations.md, \"Database roles\")";
constexpr const char* kServeAsApp =
    "bidopend serves only as the application role (bidopen_app), which cannot alter the log"
    " (docs/operations.md, \"Database roles\")";

absl::Status CheckMigrated(Conn& conn, const std::vector<Migration>& all) {
  auto pending = Pending(conn, all);
  if (!pending.ok())
    return absl::FailedPreconditionError(absl::StrCat("cannot read which migrations were applied (",
                                                      pending.status().message(),
                                                      "): ", kMigrateFirst));
  if (pending->empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(pending->size(),
                                                    " database migration(s) not applied, from ",
                                                    pending->front(), ": ", kMigrateFirst));
}

absl::Status CheckNotPrivileged(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Query("SELECT current_user::text, r.rolsuper,"
                                           " pg_has_role(c.relowner, 'MEMBER')"
                                           " FROM pg_roles r, pg_class c"
                                           " WHERE r.rolname = current_user"
                                           " AND c.oid = 'public.events'::regclass"));
  if (r.rows() != 1) return absl::InternalError("cannot read the database role's attributes");
  const std::string role(r.Bytes(0, 0));
  if (r.Bool(0, 1))
    return absl::FailedPreconditionError(
        absl::StrCat("--database connects as role ", role, ", a superuser: ", kServeAsApp));
  if (r.Bool(0, 2))
    return absl::FailedPreconditionError(absl::StrCat("--database connects as role ", role,
                                                      ", which owns the event log: ", kServeAsApp));
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckServingRole(Conn& conn, const std::vector<Migration>& all) {
  BO_RETURN_IF_ERROR(CheckMigrated(conn, all));
  return CheckNotPrivileged(conn);
}

}  // namespace bidopen::store
