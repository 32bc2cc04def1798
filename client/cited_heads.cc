#include "client/cited_heads.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/log_head.h"
#include "core/log/bundle.h"
#include "core/log/memory_tree.h"
#include "core/opening/event_codec.h"
#include "core/opening/release_signature.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

using Cited = std::pair<uint64_t, log::Hash>;  // size, root

std::string Raw(const log::Hash& h) { return std::string(h.begin(), h.end()); }

// The distinct heads the releases among `b`'s entries cite.
std::set<Cited> CitedIn(const v1::AuditBundle& b) {
  std::set<Cited> out;
  for (const v1::BundleEntry& entry : b.entries()) {
    absl::StatusOr<v1::Event> e = DecodeEvent(entry.event(), entry.seq());
    if (!e.ok() || !e->has_key_released()) continue;
    absl::StatusOr<log::Checkpoint> seen = CitedHead(e->key_released());
    if (seen.ok()) out.insert({seen->size, seen->root});
  }
  return out;
}

absl::Status Lost(const v1::Event& e, const log::Checkpoint& seen, absl::string_view why) {
  return absl::DataLossError(absl::StrCat(
      "log #", e.seq(), " (KeyReleased by \"", e.actor().common_name(), "\", fingerprint ",
      e.actor().fingerprint(), ") cites a signed head of size ", seen.size, " with root ",
      log::HashHex(seen.root), " that is not a head of this log: ", why,
      " (a head signed for a size the log had not reached, or a forked log)"));
}

// The whole log: the cited root is the root of the first `size` leaves.
absl::Status CheckAgainstLeaves(const log::MemoryTree& tree, const v1::Event& e,
                                const log::Checkpoint& seen) {
  if (seen.size > tree.size())
    return Lost(e, seen, absl::StrCat("the log has ", tree.size(), " events"));
  const log::Hash root = tree.RootAt(seen.size);
  if (root == seen.root) return absl::OkStatus();
  return Lost(e, seen, absl::StrCat("the log's root at that size is ", log::HashHex(root)));
}

// A tender's bundle: the bundle's head extends the cited head.
absl::Status CheckAgainstProof(const v1::AuditBundle& b, const v1::Event& e,
                               const log::Checkpoint& seen) {
  const v1::CitedHeadProof* proof = nullptr;
  for (const v1::CitedHeadProof& p : b.cited_heads())
    if (p.size() == seen.size && p.root_hash() == Raw(seen.root)) proof = &p;
  if (proof == nullptr)
    return absl::DataLossError(absl::StrCat(
        "log #", e.seq(), " (KeyReleased by \"", e.actor().common_name(),
        "\") cites a signed head of size ", seen.size,
        ", but the bundle holds no proof that its head extends it (fetch it again with `bidctl "
        "audit fetch`)"));
  v1::SignedTreeHead cited;
  cited.set_size(seen.size);
  cited.set_root_hash(Raw(seen.root));
  const absl::Status st =
      log::CheckExtends(cited, b.head(), log::PathOf(proof->consistency().path()));
  if (st.ok()) return st;
  return Lost(e, seen,
              absl::StrCat("the bundle's head of size ", b.head().size(), " does not extend it (",
                           st.message(), ")"));
}

}  // namespace

absl::Status AddCitedHeads(const Session& s, v1::AuditBundle* b) {
  if (b->tender_id().empty()) return absl::OkStatus();  // whole log: roots recomputed
  AuditStub stub = v1::AuditService::NewStub(s.channel);
  for (const auto& [size, root] : CitedIn(*b)) {
    if (size > b->head().size()) continue;  // cannot be extended: verify says so
    v1::CitedHeadProof* p = b->add_cited_heads();
    p->set_size(size);
    p->set_root_hash(Raw(root));
    BO_ASSIGN_OR_RETURN(*p->mutable_consistency(),
                        FetchConsistency(s, stub, size, b->head().size()));
    p->mutable_consistency()->set_first(size);
    p->mutable_consistency()->set_second(b->head().size());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> CheckCitedHeads(const v1::AuditBundle& b,
                                    const std::vector<v1::Event>& events) {
  log::MemoryTree tree;
  if (b.tender_id().empty())
    for (const v1::BundleEntry& entry : b.entries()) tree.Append(log::LeafHash(entry.event()));
  int checked = 0;
  for (const v1::Event& e : events) {
    if (!e.has_key_released()) continue;
    absl::StatusOr<log::Checkpoint> seen = CitedHead(e.key_released());
    if (!seen.ok())
      return absl::DataLossError(
          absl::StrCat("log #", e.seq(), " (KeyReleased): ", seen.status().message()));
    BO_RETURN_IF_ERROR(b.tender_id().empty() ? CheckAgainstLeaves(tree, e, *seen)
                                             : CheckAgainstProof(b, e, *seen));
    ++checked;
  }
  return checked;
}

}  // namespace bidopen::client
