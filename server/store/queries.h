// Reads of the query tables.
#ifndef BIDOPEN_SERVER_STORE_QUERIES_H_
#define BIDOPEN_SERVER_STORE_QUERIES_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/identity.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/state.h"
#include "server/store/pg.h"

namespace bidopen::store {

// Newest first, without their bids (GetTender shows those), as many as fit in
// `response_bytes` (one always does); the page token is the created seq to
// continue below.
absl::StatusOr<v1::ListTendersResponse> ListTenders(Conn& conn, const v1::ListTendersRequest& req,
                                                    size_t response_bytes);

absl::StatusOr<std::vector<v1::RegisteredKey>> ListKeys(Conn& conn, v1::Role role);

// One page of ListKeys: as many as fit in `response_bytes` (one always does).
absl::StatusOr<v1::ListKeysResponse> ListKeysPage(Conn& conn, const v1::ListKeysRequest& req,
                                                  size_t response_bytes);

// The registered custodians, by fingerprint, with their per-lot keys.
absl::StatusOr<KeyRegistry> Custodians(Conn& conn);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_QUERIES_H_
