#include "core/bid/bid_rules.h"

#include "absl/strings/str_cat.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::bid {

absl::StatusOr<const fold::Lot*> LotTakingBids(const fold::Tender& tender, int number,
                                               absl::Time now, absl::string_view doing) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(tender, number));
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

const fold::Bid* LiveBidOf(const TenderState& state, std::optional<uint64_t> newest) {
  if (!newest) return nullptr;
  auto it = state.bids.find(*newest);
  if (it == state.bids.end() || it->second.status() != v1::BID_STATUS_LIVE) return nullptr;
  return &it->second;
}

absl::Status CheckStatementUnused(const TenderState& state, const std::string& statement_sha256,
                                  absl::string_view field) {
  auto it = state.statements.find(statement_sha256);
  if (it == state.statements.end()) return absl::OkStatus();
  return absl::AlreadyExistsError(
      absl::StrCat(field, ": this signed statement was already used (log index ", it->second,
                   "); a statement acts once, sign a new one"));
}

}  // namespace bidopen::bid
