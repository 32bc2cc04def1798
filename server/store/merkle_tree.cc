#include "server/store/merkle_tree.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace bidopen::store {

absl::Status MerkleTree::CheckSize(uint64_t size) const {
  if (size > committed_)
    return absl::OutOfRangeError(
        absl::StrCat("tree_size: ", size, " is beyond the log's size ", committed_));
  return absl::OkStatus();
}

uint64_t MerkleTree::committed_size() const {
  absl::ReaderMutexLock lock(&mu_);
  return committed_;
}

log::Hash MerkleTree::RootAt(uint64_t size) const {
  absl::ReaderMutexLock lock(&mu_);
  return tree_.RootAt(size);
}

absl::StatusOr<std::vector<log::Hash>> MerkleTree::InclusionProof(uint64_t index,
                                                                  uint64_t size) const {
  absl::ReaderMutexLock lock(&mu_);
  if (auto st = CheckSize(size); !st.ok()) return st;
  return log::InclusionProof(tree_, index, size);
}

absl::StatusOr<std::vector<log::Hash>> MerkleTree::ConsistencyProof(uint64_t first,
                                                                    uint64_t second) const {
  absl::ReaderMutexLock lock(&mu_);
  if (auto st = CheckSize(second); !st.ok()) return st;
  return log::ConsistencyProof(tree_, first, second);
}

uint64_t MerkleTree::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return tree_.size();
}

void MerkleTree::Append(const log::Hash& leaf, std::vector<log::NodeRef>* created) {
  absl::MutexLock lock(&mu_);
  tree_.AppendAndCollect(leaf, created);
}

void MerkleTree::Commit() {
  absl::MutexLock lock(&mu_);
  committed_ = tree_.size();
}

void MerkleTree::Rollback(uint64_t to_size) {
  absl::MutexLock lock(&mu_);
  tree_.Truncate(to_size);
  committed_ = std::min(committed_, tree_.size());
}

}  // namespace bidopen::store
