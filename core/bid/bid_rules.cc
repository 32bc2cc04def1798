#include "core/bid/bid_rules.h"

#include "absl/strings/str_cat.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::bid {

absl::StatusOr<const v1::Lot*> LotTakingBids(const v1::Tender& tender, int number, absl::Time now,
                                             absl::string_view doing) {
  BO_ASSIGN_OR_RETURN(const v1::Lot* lot, FindLot(tender, number));
  if (tender.cancelled() || lot->status() == v1::LOT_STATUS_CANCELLED)
    return absl::FailedPreconditionError(
        absl::StrCat("lot ", number, " of tender ", tender.id(), " is cancelled; ", doing));
  const absl::Time deadline = FromProto(lot->spec().submission_deadline());
  if (now < deadline) return lot;
  absl::TimeZone zone;
  if (auto loaded = LoadZone(tender.time_zone()); loaded.ok()) zone = *loaded;
  return absl::FailedPreconditionError(
      absl::StrCat("lot ", number, " of tender ", tender.id(), ": the submission deadline ",
                   TimeText(deadline, zone), " passed ", DurationText(now - deadline),
                   " ago by the server clock; ", doing));
}

}  // namespace bidopen::bid
