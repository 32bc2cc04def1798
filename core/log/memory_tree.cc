#include "core/log/memory_tree.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace bidopen::log {

void MemoryTree::Append(const Hash& leaf_hash) { AppendAndCollect(leaf_hash, nullptr); }

void MemoryTree::AppendAndCollect(const Hash& leaf_hash, std::vector<NodeRef>* created) {
  Hash hash = leaf_hash;
  for (size_t level = 0;; ++level) {
    if (level == levels_.size()) levels_.emplace_back();
    std::vector<Hash>& row = levels_[level];
    row.push_back(hash);
    if (created != nullptr) created->push_back({static_cast<int>(level), row.size() - 1, hash});
    if (row.size() % 2 != 0) return;
    hash = NodeHash(row[row.size() - 2], row.back());
  }
}

void MemoryTree::Truncate(uint64_t size) {
  if (size >= this->size()) return;
  for (size_t level = 0; level < levels_.size(); ++level) levels_[level].resize(size >> level);
  while (!levels_.empty() && levels_.back().empty()) levels_.pop_back();
}

Hash MemoryTree::Root() const { return RootHash(*this, size()); }

Hash MemoryTree::RootAt(uint64_t size) const {
  if (size > this->size()) {
    std::fprintf(stderr, "MemoryTree::RootAt(%" PRIu64 ") on a tree of %" PRIu64 " leaves\n", size,
                 this->size());
    std::abort();
  }
  return RootHash(*this, size);
}

Hash MemoryTree::Node(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
    std::fprintf(stderr, "MemoryTree::Node(%d, %" PRIu64 ") is not a complete node\n", level,
                 index);
    std::abort();
  }
  return levels_[level][index];
}

}  // namespace bidopen::log
