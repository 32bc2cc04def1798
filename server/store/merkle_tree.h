// The installation's Merkle tree in memory, shared by the writer (appends
// inside a transaction, made visible on commit) and readers (proofs, heads).
#ifndef BIDOPEN_SERVER_STORE_MERKLE_TREE_H_
#define BIDOPEN_SERVER_STORE_MERKLE_TREE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/log/memory_tree.h"

namespace bidopen::store {

class MerkleTree {
 public:
  // Readers see only committed leaves.
  uint64_t committed_size() const;
  log::Hash RootAt(uint64_t size) const;  // REQUIRES: size <= committed_size()
  absl::StatusOr<std::vector<log::Hash>> InclusionProof(uint64_t index, uint64_t size) const;
  absl::StatusOr<std::vector<log::Hash>> ConsistencyProof(uint64_t first, uint64_t second) const;

  // Writer side. Appends are tentative until Commit; Rollback drops leaves
  // from `to_size` on (committed ones too: a later append catches up again).
  uint64_t size() const;
  void Append(const log::Hash& leaf, std::vector<log::NodeRef>* created);
  void Commit();
  void Rollback(uint64_t to_size);

 private:
  absl::Status CheckSize(uint64_t size) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  log::MemoryTree tree_ ABSL_GUARDED_BY(mu_);
  uint64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_MERKLE_TREE_H_
