// The tree heads a release relies on (review 4 R1). A release cites a signed
// head (under BOTH, the proof that the bidders' turn was over), and the wait
// keeps the heads it saw to catch a backdated start. Each must be a head of
// the log bidctl verified, never one taken on GetOpening's word: the
// operator holds the log key and could sign a head of a size the log has not
// reached, with any root. Proving it one history with a verified head binds
// the log's content up to its size before anything is sent.
#ifndef BIDOPEN_CLIENT_RELEASE_HEAD_H_
#define BIDOPEN_CLIENT_RELEASE_HEAD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/audit.pb.h"
#include "client/command.h"
#include "core/log/merkle.h"

namespace bidopen::client {

// OK if `now` (its signature checked) and `verified` (a verified head) are
// signed by the same log certificate and are one history: `path` is the
// consistency proof from the smaller to the larger (empty for equal sizes,
// whose roots must then be equal). DATA_LOSS naming both sizes otherwise.
absl::Status CheckOneHistory(const v1::SignedTreeHead& now, const v1::SignedTreeHead& verified,
                             const std::vector<log::Hash>& path);

// CheckOneHistory, and `now` is no larger than `verified`: a prefix of the
// verified log, so its root binds nothing the log does not hold (a head past
// the log's end is the operator's word alone). DATA_LOSS otherwise.
absl::Status CheckCitable(const v1::SignedTreeHead& now, const v1::SignedTreeHead& verified,
                          const std::vector<log::Hash>& path);

// The head a release cites: `now` (GetOpening's, its signature checked, the
// one whose time the gate used), proved a prefix of `verified` (the head of
// the bundle the release gate verified, consistency-checked against the head
// this user remembers, and remembered) by the server's consistency proof
// (CheckCitable). DATA_LOSS if not: nothing may be sent citing it.
absl::StatusOr<v1::SignedTreeHead> CitableHead(const Session& s, const v1::SignedTreeHead& now,
                                               const v1::SignedTreeHead& verified);

// The signed heads a wait saw (GetOpening's), to check that an event the
// verified log appended after one of them (its seq at or past the head's
// size) is not timed before it. Each is proved one history with the largest
// kept before it, and the largest is proved a prefix of the verified log
// before any is relied on (ProveIn): by transitivity every kept head is then
// the log's, whatever size the server signed.
class HeadsSeen {
 public:
  // Proves `now` one history with the largest head kept so far (one
  // consistency proof when the size differs), then records it.
  absl::Status Keep(const Session& s, const v1::SignedTreeHead& now);

  // Records without a proof. REQUIRES: one history with every head kept.
  void Record(const v1::SignedTreeHead& head);

  // The largest kept head is a prefix of `verified` (CitableHead's check).
  absl::Status ProveIn(const Session& s, const v1::SignedTreeHead& verified) const;

  // NotBackdated (audit_bundle.h) against the latest-timed head kept whose
  // size is at most `seq`; OK if there is none. REQUIRES: ProveIn passed.
  absl::Status NotBackdated(uint64_t seq, const google::protobuf::Timestamp& time) const;

 private:
  std::map<uint64_t, google::protobuf::Timestamp> latest_;  // size -> latest time seen
  std::optional<v1::SignedTreeHead> largest_;
};

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RELEASE_HEAD_H_
