// The Merkle tree's stored nodes and the signed tree heads.
#ifndef BIDOPEN_SERVER_STORE_MERKLE_STORE_H_
#define BIDOPEN_SERVER_STORE_MERKLE_STORE_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "core/log/memory_tree.h"
#include "server/store/pg.h"

namespace bidopen::store {

absl::Status InsertNodes(Conn& conn, const std::vector<log::NodeRef>& nodes);

// Leaf hashes (level 0) in index order; DATA_LOSS naming the first missing index.
absl::StatusOr<std::vector<log::Hash>> LoadLeafHashes(Conn& conn);

absl::Status InsertTreeHead(Conn& conn, const v1::SignedTreeHead& head);

// The largest signed head, if any (without log_certificate_pem).
absl::StatusOr<std::optional<v1::SignedTreeHead>> LatestTreeHead(Conn& conn);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_MERKLE_STORE_H_
