// A bid's verdict re-run offline from saved evidence (bidctl audit
// check-bid): the sealed file's header, the lot's published custodian keys
// and every release -> JudgeReleases; if the secret is recovered, the file is
// read with it against the lot's form; then DecideVerdict, the rule the
// server applied. And how that verdict compares with the one in the log.
#ifndef BIDOPEN_CLIENT_VERDICT_REPLAY_H_
#define BIDOPEN_CLIENT_VERDICT_REPLAY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "client/bid_evidence.h"

namespace bidopen::client {

struct ReplayedVerdict {
  v1::BidVerdict verdict;
  std::string bidder_release;      // which bidder release was used, in words
  bool file_matches = false;       // the saved file's SHA-256 is the one the bidder signed
  std::vector<std::string> notes;  // releases whose `accepted` the server gave otherwise
  // Logged releases (their seq and material_sha256 in the lot's fold) that the
  // evidence lacks or whose bytes do not hash to the logged material_sha256,
  // and evidence releases that are no KeyReleased of the lot.
  std::vector<std::string> untied;
};

// A KeyReleased event of the lot in the verified log.
struct LoggedRelease {
  v1::ReleaseKind kind = v1::RELEASE_KIND_UNSPECIFIED;
  std::string material_sha256;
};
using LoggedReleases = std::map<uint64_t, LoggedRelease>;  // by seq

// Lot `lot`'s KeyReleased events among `events`.
LoggedReleases KeyReleasesOf(const std::vector<v1::Event>& events, int lot);

// INVALID_ARGUMENT if the saved file is not a sealed bid; errors of the checks
// other than a verdict as they come.
// `logged`: the bid as the log shows it (its start check), if known.
// `key_releases`: the lot's KeyReleased events: an evidence release that is
// not one of them (same seq, kind and material hash) is not used and shows
// as untied (review 7 U4: a secret the log never saw cannot open a bid here).
absl::StatusOr<ReplayedVerdict> ReplayVerdict(const SavedEvidence& e, const v1::Lot& lot,
                                              const v1::BidOpening* logged,
                                              const LoggedReleases& key_releases);

// What differs between the re-run verdict and the logged bid (status, fault,
// consequence, values), one line each; empty if nothing.
std::vector<std::string> VerdictDifferences(const v1::BidVerdict& replayed,
                                            const v1::BidEntry& logged);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_VERDICT_REPLAY_H_
