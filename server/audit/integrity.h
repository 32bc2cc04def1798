// The start-up check of the stored log against the stored Merkle tree and
// the last signed tree head. A failure names the first bad index.
#ifndef BIDOPEN_SERVER_AUDIT_INTEGRITY_H_
#define BIDOPEN_SERVER_AUDIT_INTEGRITY_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "bidopen/v1/audit.pb.h"
#include "core/log/memory_tree.h"
#include "server/store/merkle_tree.h"
#include "server/store/pg.h"

namespace bidopen::audit {

// Reads every event of [0, log_size) and checks: no seq is missing, the bytes
// parse and carry their own seq, and their leaf hash equals the stored one.
// Events past the stored leaves and past `attested_size` (never covered by a
// signed head: a log from before the audit log existed) get their leaf
// hashes appended to `*backfill`.
absl::Status CheckEvents(store::Conn& conn, uint64_t log_size,
                         const std::vector<log::Hash>& stored_leaves, uint64_t attested_size,
                         std::vector<log::Hash>* backfill);

// The tree's root at the head's size equals the head's root, and the head's
// signature verifies with the log certificate.
// REQUIRES: `tree` holds the stored leaves, committed.
absl::Status CheckHead(const store::MerkleTree& tree, const v1::SignedTreeHead& head,
                       absl::string_view log_cert_pem);

}  // namespace bidopen::audit

#endif  // BIDOPEN_SERVER_AUDIT_INTEGRITY_H_
