// When a lot's opening may start, when releases are taken and when decryption
// ends (docs/protocol.md "Opening"). Pure: the server decides with these, and
// the fold checks the log obeyed them.
#ifndef BIDOPEN_CORE_OPENING_OPENING_RULES_H_
#define BIDOPEN_CORE_OPENING_OPENING_RULES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen {

// The lot's minimum number of valid bids (its spec, default 3).
int MinValidBids(const v1::LotSpec& spec);
// Its decryption window (its spec, default 30 min).
absl::Duration DecryptionWindow(const v1::LotSpec& spec);

// The OpeningStarted event for lot `lot` at `now`, given its live bids
// (ascending seqs). FAILED_PRECONDITION, with times in the tender's zone, if
// the lot is cancelled, its opening time has not come, or it started already.
// With fewer live bids than the minimum the event carries the failure.
absl::StatusOr<v1::OpeningStarted> DecideStart(const fold::Tender& tender, int lot,
                                               std::vector<uint64_t> live_bids, absl::Time now,
                                               bool auto_started);

// OK if a release (or a decryption attempt it triggers) may be taken for the
// lot at `now`: the opening started, every bid was revealed, decryption has
// not ended and `now` is not after the window. FAILED_PRECONDITION with the
// times in the tender's zone otherwise.
absl::Status CheckReleaseTime(const fold::Tender& tender, int lot, absl::Time now);

// Under BOTH the bidders release first and the custodians after: the
// bidders' phase is the first half of the window, [start, BiddersEnd), the
// custodians' the rest, [BiddersEnd, window_end). So nobody, the operator
// included, holds both parts of any bid before every bidder has made its
// choice without seeing a value (docs/threat-model.md). Computed from the
// start's time and window end, both in the log. For other policies there is
// one phase: BiddersEnd is the window's end and custodians release from the
// start. REQUIRES: the opening started.
absl::Time BiddersEnd(const v1::LotSpec& spec, const v1::LotOpening& opening);

// The custodians whose per-lot key the log accepted (one each at most).
int AcceptedCustodianKeys(const v1::LotOpening& opening);

// How long the bidders of files the start found altered have to put them back
// (review 6 T1): the window / kResupplyShare, at most kMaxResupplyPeriod.
absl::Duration ResupplyPeriod(const v1::LotSpec& spec);
// When the first key may be released: the start, or, when the start found a
// stored file altered, the end of the re-supply period (LotOpening.resupply_end)
// plus the replicas' clock slack, so that whether that bid opens is settled
// before any key reaches the server. The slack (review 8 V4): a releaser cites
// a head timed at or past it, so a restoration (timed before resupply_end)
// appended after that head is backdated beyond the slack, which the
// releaser's bidctl refuses on any later run (NotBackdated) — an operator
// that held a key and asked for a re-signed release cannot then put a file
// back unseen. REQUIRES: the opening started.
absl::Time ReleasesBegin(const v1::LotOpening& opening);
// When custodians may release: ReleasesBegin, and under BOTH also the
// bidders' turn plus the replicas' clock slack (the same reason: a bidder
// release, timed before the turn, appended after the head a custodian cited
// is backdated beyond the slack). REQUIRES: the opening started.
absl::Time CustodiansBegin(const v1::LotSpec& spec, const v1::LotOpening& opening);

// OK if a release of `kind` is in its phase at `now`: at or after
// ReleasesBegin, and under BOTH in its half; FAILED_PRECONDITION naming the
// phase and the times in the tender's zone otherwise. Call after
// CheckReleaseTime.
absl::Status CheckReleasePhase(const fold::Tender& tender, int lot, v1::ReleaseKind kind,
                               absl::Time now);
// OK if a release of `kind` may cite a signed head of `seen_size` timed
// `seen_time`: one past every sealed file put back in the lot (by seq: the
// releaser decided after the log had fixed them; review 7 on review 6 T1),
// timed at or after ReleasesBegin (the releaser waited out the re-supply
// period), and for a custodian under BOTH at or after the bidders' turn
// (docs/protocol.md "What the cited head proves about time").
// FAILED_PRECONDITION naming the head and the bound otherwise.
absl::Status CheckCitedHeadFits(const fold::Tender& tender, int lot, v1::ReleaseKind kind,
                                absl::Time seen_time, uint64_t seen_size);

// Whether decryption of the lot ends at `now`: true at or after window_end
// (early = false); with `agency_asked` before it only if every bid opened
// and, in a lot with custodians, every custodian's key was accepted (early =
// true: nothing a later release could reveal is cut off), else
// FAILED_PRECONDITION saying how many have not.
// FAILED_PRECONDITION if the opening did not start or decryption ended.
struct EndDecision {
  bool end = false;
  bool early = false;
};
absl::StatusOr<EndDecision> DecideEnd(const fold::Tender& tender, int lot, absl::Time now,
                                      bool agency_asked);

// H("bidopen/v2/released"; bytes): what a KeyReleased event holds of the
// released bytes, so that they can be tied to it without being in the log.
std::string ReleasedHash(absl::string_view material);

// The lot's failure when only `valid` of its bids count (empty if enough).
std::string TooFewBids(const v1::LotSpec& spec, uint32_t valid, absl::string_view what);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_OPENING_RULES_H_
