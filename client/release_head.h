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

// The head a release cites: `now` (GetOpening's, its signature checked),
// proved one history with `verified` (the head of the bundle the release
// gate verified and remembered) by the server's consistency proof, and then
// remembered if larger. DATA_LOSS (CheckOneHistory) if not: nothing may be
// sent citing it.
absl::StatusOr<v1::SignedTreeHead> CitableHead(const Session& s, const v1::SignedTreeHead& now,
                                               const v1::SignedTreeHead& verified);

// `now` proved one history with the head this user remembers for its log
// key (if any; else it is the first) and remembered if larger.
absl::Status KeepHead(const Session& s, const v1::SignedTreeHead& now);

// The verified heads a wait saw, to check that an event appended after one
// of them (its seq at or past the head's size) is not timed before it.
class HeadsSeen {
 public:
  void Record(const v1::SignedTreeHead& head);  // REQUIRES: verified and kept (KeepHead)

  // NotBackdated (audit_bundle.h) against the latest-timed head seen whose
  // size is at most `seq`; OK if there is none.
  absl::Status NotBackdated(uint64_t seq, const google::protobuf::Timestamp& time) const;

 private:
  std::map<uint64_t, google::protobuf::Timestamp> latest_;  // size -> latest time seen
};

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RELEASE_HEAD_H_
