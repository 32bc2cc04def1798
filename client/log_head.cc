#include "client/log_head.h"

#include "absl/strings/str_cat.h"
#include "client/audit_state.h"
#include "core/log/bundle.h"
#include "core/status_macros.h"

namespace bidopen::client {

absl::StatusOr<v1::SignedTreeHead> FetchHead(const Session& s, const AuditStub& stub) {
  v1::SignedTreeHead head;
  BO_RETURN_IF_ERROR(s.Check(stub->GetTreeHead(CallContext().get(), {}, &head)));
  return head;
}

absl::StatusOr<v1::ConsistencyProof> FetchConsistency(const Session& s, const AuditStub& stub,
                                                      uint64_t first, uint64_t second) {
  v1::GetConsistencyProofRequest req;
  req.set_first(first);
  req.set_second(second);
  v1::ConsistencyProof proof;
  if (first > 0 && first < second)
    BO_RETURN_IF_ERROR(s.Check(stub->GetConsistencyProof(CallContext().get(), req, &proof)));
  return proof;
}

absl::StatusOr<std::optional<std::pair<v1::SignedTreeHead, v1::ConsistencyProof>>> Extension(
    const Session& s, const AuditStub& stub, const v1::SignedTreeHead& head) {
  BO_ASSIGN_OR_RETURN(auto remembered, RememberedHead(head.log_certificate_pem()));
  if (!remembered) return std::nullopt;
  if (remembered->size() > head.size())
    return absl::DataLossError(absl::StrCat(
        "the server's signed head has ", head.size(), " events, fewer than the ",
        remembered->size(), " of the head you verified before: the log was rolled back"));
  BO_ASSIGN_OR_RETURN(auto proof, FetchConsistency(s, stub, remembered->size(), head.size()));
  BO_RETURN_IF_ERROR(log::CheckExtends(*remembered, head, log::PathOf(proof.path())));
  return std::make_pair(*remembered, proof);
}

absl::Status CheckIncluded(const Session& s, const AuditStub& stub, const v1::SignedTreeHead& head,
                           uint64_t index, const log::Hash& leaf_hash) {
  if (index >= head.size())
    return absl::UnavailableError(absl::StrCat("the log's signed head has ", head.size(),
                                               " events and does not cover log index ", index,
                                               " yet; try again in a moment"));
  v1::GetInclusionProofRequest req;
  req.set_index(index);
  req.set_tree_size(head.size());
  v1::InclusionProof proof;
  BO_RETURN_IF_ERROR(s.Check(stub->GetInclusionProof(CallContext().get(), req, &proof)));
  BO_ASSIGN_OR_RETURN(log::Hash root, log::HashFromBytes(head.root_hash()));
  absl::Status st =
      log::VerifyInclusion(leaf_hash, index, head.size(), log::PathOf(proof.path()), root);
  if (st.ok()) return st;
  return absl::DataLossError(absl::StrCat("log index ", index,
                                          " is not included in the signed head of size ",
                                          head.size(), ": ", st.message()));
}

}  // namespace bidopen::client
