#include "core/opening/resupply_rules.h"

#include "absl/strings/str_cat.h"
#include "core/bid/bid_rules.h"
#include "core/crypto/sha256.h"
#include "core/opening/opening_rules.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen {

bool StoredFileMatches(const v1::BidOpening& o) {
  return o.stored_matched_at_start() || o.restored_seq() != 0;
}

absl::Status CheckResupply(const TenderState& s, int lot, uint64_t bid, const v1::Party& caller,
                           absl::Time now) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* l, FindLot(s.tender, lot));
  auto it = s.bids.find(bid);
  if (it == s.bids.end() || it->second.lot() != lot || !it->second.has_opening())
    return absl::NotFoundError(absl::StrCat("bid: lot ", lot, " has no revealed bid ", bid));
  const v1::BidOpening& o = it->second.opening();
  if (o.bidder().fingerprint() != caller.fingerprint())
    return absl::PermissionDeniedError(
        absl::StrCat("bid: bid ", bid, " is not yours: only its bidder re-supplies its file"));
  BO_RETURN_IF_ERROR(CheckReleaseTime(s.tender, lot, now));
  if (l->opening().decrypted() + l->opening().decrypt_failed() > 0)
    return absl::FailedPreconditionError(absl::StrCat("lot ", lot, "'s verdicts began: bid ", bid,
                                                      "'s file can no longer be put back"));
  if (o.restored_seq() != 0)
    return absl::FailedPreconditionError(absl::StrCat(
        "bid ", bid, "'s sealed file was put back already (log #", o.restored_seq(), ")"));
  if (o.stored_matched_at_start())
    return absl::FailedPreconditionError(
        absl::StrCat("bid ", bid,
                     "'s stored file matched its signed SHA-256 when the opening started: there "
                     "is nothing to put back"));
  // Within the re-supply period, before which no key is released (review 6
  // T1): whether the bid opens is settled before any key reaches the server.
  const absl::Time end = FromProto(l->opening().resupply_end());
  if (now >= end)
    return absl::FailedPreconditionError(
        absl::StrCat("the re-supply period of lot ", lot, " ended at ",
                     TimeText(end, ZoneOrUtc(s.tender.time_zone())), ": bid ", bid,
                     "'s file can no longer be put back; a file is put back before any key is "
                     "released, so that whether it opens is settled before any value can be read"));
  // Before any key material reached the server (review 6 T1): after it, a
  // file put back (or not) could be chosen once values were read.
  if (l->opening().first_release_seq() != 0)
    return absl::FailedPreconditionError(absl::StrCat(
        "releases of lot ", lot, " began (log #", l->opening().first_release_seq(), "): bid ", bid,
        "'s file can no longer be put back; a file is put back before the first release, so "
        "that whether it opens is settled before any value can be read"));
  return absl::OkStatus();
}

absl::Status CheckResuppliedFile(const fold::Bid& bid, uint64_t size, absl::string_view sha256) {
  if (size != bid.size())
    return absl::InvalidArgumentError(absl::StrCat("data: ", size, " bytes sent; bid ", bid.seq(),
                                                   "'s signed statement says ", bid.size(),
                                                   ": it is not the sealed file you submitted"));
  if (sha256 != bid.ciphertext_sha256())
    return absl::InvalidArgumentError(
        absl::StrCat("data: the file sent has SHA-256 ", crypto::Hex(sha256), "; bid ", bid.seq(),
                     "'s signed statement says ", crypto::Hex(bid.ciphertext_sha256()),
                     ": it is not the sealed file you submitted"));
  return absl::OkStatus();
}

absl::Status CheckResupplyMessage(uint64_t bytes) {
  if (bytes > bid::kMaxChunk)
    return absl::InvalidArgumentError(absl::StrCat("data: ", bytes,
                                                   " bytes in one message, more than the limit of ",
                                                   bid::kMaxChunk, " bytes per message"));
  return absl::OkStatus();
}

}  // namespace bidopen
