// The announcement table (唱标; docs/opening-hall.md "The announcement
// table"): a deterministic function of the folded lot once decryption ended,
// with its canonical bytes and hash. The ResultsAnnounced event holds the
// hash; the fold recomputes it, and so does anyone with the log.
#ifndef BIDOPEN_CORE_OPENING_ANNOUNCEMENT_H_
#define BIDOPEN_CORE_OPENING_ANNOUNCEMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/hall.pb.h"
#include "core/opening/state.h"

namespace bidopen {

inline constexpr absl::string_view kAnnouncementLabel = "bidopen/v1/announcement";

// Lot `lot`'s table: every bid revealed at its opening (state.bids holds
// them all), in seq order, with its bidder and its verdict: the values in
// form order, or the fault, consequence and reason. FAILED_PRECONDITION
// unless every revealed bid has its verdict; INTERNAL if state.bids lacks one.
absl::StatusOr<v1::AnnouncementTable> AnnouncementOf(const TenderState& state, int lot);

// The canonical bytes (u32/u64 big-endian, LP = u32 length || bytes):
//   LP(tender_id) || u32(lot) || LP(lot_title)
//   || u32(#form) || { LP(name) || LP(type) || LP(unit) }*
//   || LP(failure) || u32(#bids)
//   || { u64(bid) || LP(fingerprint) || LP(organization) || LP(status)
//        || LP(fault) || LP(consequence) || LP(reason)
//        || u32(#values) || { LP(name) || LP(value) }* }*
// with type "decimal", "int", "text" or "date"; status "decrypted" or
// "decrypt_failed"; fault "none", "bidder", "custodians" or "platform";
// consequence "none", "revoked" or "withdrawn".
std::string AnnouncementBytes(const v1::AnnouncementTable& table);

// H("bidopen/v1/announcement"; AnnouncementBytes(table)).
std::string AnnouncementHash(const v1::AnnouncementTable& table);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_ANNOUNCEMENT_H_
