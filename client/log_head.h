// The audit log as bidctl checks it online: the server's signed tree head,
// verified against the trusted CA and proved to extend the head this user
// verified before (client/audit_state.h), and inclusion proofs against it.
#ifndef BIDOPEN_CLIENT_LOG_HEAD_H_
#define BIDOPEN_CLIENT_LOG_HEAD_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.grpc.pb.h"
#include "client/command.h"
#include "core/log/merkle.h"

namespace bidopen::client {

using AuditStub = std::unique_ptr<v1::AuditService::Stub>;

// The server's current signed tree head, unverified.
absl::StatusOr<v1::SignedTreeHead> FetchHead(const Session& s, const AuditStub& stub);

// PROOF(first, D[second]); empty unless 0 < first < second.
absl::StatusOr<v1::ConsistencyProof> FetchConsistency(const Session& s, const AuditStub& stub,
                                                      uint64_t first, uint64_t second);

// The head this user saw last from the same log key, if any, checked to be
// extended by `head` (REQUIRES: `head` verified), with the proof of it.
// DATA_LOSS if the log shrank or its history was rewritten.
absl::StatusOr<std::optional<std::pair<v1::SignedTreeHead, v1::ConsistencyProof>>> Extension(
    const Session& s, const AuditStub& stub, const v1::SignedTreeHead& head);

// OK if the leaf `leaf_hash` is at `index` in the tree of `head` (REQUIRES:
// `head` verified): asks the server for the inclusion proof and checks it.
// DATA_LOSS if the proof does not lead to the head's root.
absl::Status CheckIncluded(const Session& s, const AuditStub& stub, const v1::SignedTreeHead& head,
                           uint64_t index, const log::Hash& leaf_hash);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_LOG_HEAD_H_
