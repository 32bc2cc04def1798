// Whose fault a bid that did not open is, and what follows (电子招标投标办法
// Art. 31): one pure rule (docs/protocol.md "Verdicts"), applied once per bid
// when decryption ends, by the server and by `bidctl audit check-bid`.
//   - every release checks out (the key material recovers the committed
//     secret) and the file opens, its values obey the form: DECRYPTED;
//   - it checks out but the stored file did not match the signed SHA-256 when
//     the opening started (checked before anything could be released): the
//     platform, without reading it;
//   - it checks out but the file does not open, or its values break the form:
//     a file that matched at the start and differs when read gives no verdict
//     (StoredFileChanged): the lot's verdicts wait until it is restored;
//     otherwise the bidder (the fold requires a logged failed read,
//     BidDecrypted, of that very file: review 4 R4b). Every log that folds
//     has the start's check (review 4 R4); without it (`audit check-bid` on
//     bytes alone) a file not shown to be the signed one is the platform's;
//   - the releases do not recover the secret: the fault JudgeReleases finds
//     (the bidder's: it released nothing under BIDDER, a release or share of
//     its own does not match; the custodians': too few released, or a wrong
//     key), except that a bidder whose certificate the operator revoked after
//     the deadline and before it released is not at fault for the missing
//     release: the platform is (review 4 R7).
// A file the start found altered and its bidder put back (review 4 R5) is
// judged as one that matched.
// The bidder's fault: treated as revoked (视为撤销); anyone else's: treated as
// withdrawn (视为撤回), and the bidder may claim its losses.
#ifndef BIDOPEN_CORE_OPENING_VERDICT_RULES_H_
#define BIDOPEN_CORE_OPENING_VERDICT_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/identity.pb.h"
#include "core/seal/release_check.h"

namespace bidopen {

// The server's attempt to read the bid with the recovered secret.
struct DecryptOutcome {
  bool tried = false;
  bool opened = false;
  std::string reason;  // why it did not open (DATA_LOSS or a form violation)
  std::vector<v1::FormValue> values;
  std::string values_key;  // r_v
};

struct VerdictInput {
  int32_t lot = 0;
  uint64_t bid = 0;
  seal::Judgement judgement;  // JudgeReleases with every release of the lot
  DecryptOutcome decrypt;     // with judgement.secret when the verdict is kOk
  // SHA-256 of the stored file equals the one the bidder signed. Needed only
  // when the secret was recovered and the file did not open; unknown counts
  // against the platform, never the bidder.
  std::optional<bool> stored_file_matches;
  std::string stored_sha256;  // the stored file's SHA-256 behind stored_file_matches, if known
  // The start's check (BidRevealed.stored_matches): whether the stored file
  // was the one the bidder signed before anything could be released; every
  // reveal that folds has it (unset only when judging without the log). With
  // false, stored_sha256_at_start is what it was (empty if it could not be
  // read whole).
  std::optional<bool> matched_at_start;
  std::string stored_sha256_at_start;
  // Review 4 R5: its bidder put the signed file back (BidFileRestored) after
  // the start found it altered: it is read, and judged, as one that matched.
  // A bidder that did not put it back could have: the verdict stays the
  // platform's (nothing proves otherwise) and its reason says so.
  bool restored = false;
  // Review 4 R7: the revocation of the bidder's certificate after the lot's
  // submission deadline and before any release of the bidder was accepted
  // (RevokedBeforeRelease), set by the caller only under BIDDER or BOTH. A
  // missing bidder release is then the platform's fault, not the bidder's
  // (treated as withdrawn), with the revocation named; a sealing defect (a bad
  // share) stays the bidder's.
  std::optional<v1::Revocation> bidder_revoked;
  absl::TimeZone zone = absl::UTCTimeZone();  // the tender's, for times in reasons
  // Custodians' failed attempts (the log did not accept them: a wrong key)
  // whose bytes the server could not produce. A wrong key opens no share, so
  // they cannot change the verdict: the custodian is named with a wrong key,
  // as the log says, and the reason names the seqs. A lost *accepted*
  // release never reaches this rule: the opener gives no verdict of the lot
  // until its releaser re-supplies it (docs/protocol.md "Lost releases"), so
  // no platform failure can be claimed, and chosen, by losing a row.
  struct LostAttempt {
    uint64_t seq = 0;
    uint32_t share_x = 0;
  };
  std::vector<LostAttempt> lost_attempts;
};

// The verdict. Not to be asked while StoredFileChanged(in): there is none.
v1::BidVerdict DecideVerdict(const VerdictInput& in);

// The secret was recovered and the file read did not open, nor was it shown
// to be the signed file, though the start found it was: the file changed
// after the start (perhaps after a release was seen). No verdict: the lot's
// verdicts wait until the file is restored (docs/protocol.md "Verdicts").
bool StoredFileChanged(const VerdictInput& in);

// One release as stored (server) or as fetched with GetBidEvidence (auditor).
struct ReleasedBytes {
  v1::ReleaseKind kind = v1::RELEASE_KIND_UNSPECIFIED;
  uint64_t bid = 0;  // the bidder's bid; 0 for a custodian
  uint32_t share_x = 0;
  std::string fingerprint;  // the releaser
  bool accepted = false;
  std::string material;
};

// What the verdict on bid `bid` is judged with, from every release of its lot
// in log order: the bidder's accepted release of this bid (a release that did
// not match its commitment was a failed attempt and is not used); per
// custodian, its accepted release, or else its last attempt (so a wrong key
// is named as that custodian's).
seal::Releases SelectReleases(uint64_t bid, const std::vector<ReleasedBytes>& all);

// In words, for people: "treated as revoked (视为撤销)", ….
absl::string_view FaultName(v1::Fault fault);
absl::string_view ConsequenceName(v1::Consequence consequence);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_VERDICT_RULES_H_
