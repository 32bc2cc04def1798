// The revocations in their query table (migration 0009): one row per revoked
// certificate, the fold's v1.Revocation.
#ifndef BIDOPEN_SERVER_STORE_REVOCATION_ROWS_H_
#define BIDOPEN_SERVER_STORE_REVOCATION_ROWS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "core/opening/state.h"
#include "server/store/pg.h"

namespace bidopen::store {

// The certificate's revocation; nullopt if it is not revoked.
absl::StatusOr<std::optional<v1::Revocation>> ReadRevocation(Conn& conn,
                                                             const std::string& fingerprint);
// The revocations appended to the log in [from, the log's size), folded from
// the events themselves (which the application role can only append to, so
// a deleted query-table row cannot undo one); returns the size read up to.
absl::StatusOr<uint64_t> FoldRevocationsFromLog(Conn& conn, uint64_t from, Revocations* into);
absl::Status WriteRevocation(Conn& conn, const v1::Revocation& r);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_REVOCATION_ROWS_H_
