// A bidder's confirmation of the announcement (docs/opening-hall.md
// "Confirming"): the message it signs with its certificate key (ECDSA P-256,
// the key that signed its bid statement) and the check of that signature.
// As for the reveal's statement (reveal_check.h), the fold checks the hash
// and the bidder but not the signature, which needs the CA: the server checks
// it before appending, `audit verify` on every AnnouncementConfirmed.
#ifndef BIDOPEN_CORE_OPENING_CONFIRMATION_H_
#define BIDOPEN_CORE_OPENING_CONFIRMATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/v1/common.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen {

inline constexpr absl::string_view kConfirmLabel = "bidopen/v1/confirm";

// LP("bidopen/v1/confirm") || LP(tender_id) || u32(lot) ||
// LP(announcement_sha256).
std::string ConfirmationMessage(absl::string_view tender_id, int32_t lot,
                                absl::string_view announcement_sha256);

// The confirmation's certificate was issued by `ca_pem` to `bidder` (its
// fingerprint is the revealed bidder's) and its key signed
// ConfirmationMessage(tender_id, c.lot, c.announcement_sha256). DATA_LOSS
// naming the bid otherwise. With `signed_at` (the event's time) the
// certificate is checked as it was then, as releases, reveals and receipts
// are: an audit after it expired still verifies.
absl::Status CheckConfirmationSignature(const v1::AnnouncementConfirmed& c, const v1::Party& bidder,
                                        absl::string_view tender_id, absl::string_view ca_pem,
                                        std::optional<absl::Time> signed_at = std::nullopt);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_CONFIRMATION_H_
