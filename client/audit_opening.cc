#include "client/audit_opening.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "core/opening/fold.h"
#include "core/opening/reveal_check.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

absl::Status CheckReveals(const std::vector<v1::Event>& events, const std::string& ca,
                          OpeningAudit* a) {
  for (const v1::Event& e : events) {
    if (!e.has_bid_revealed()) continue;
    const absl::Status st = CheckRevealSignature(e.bid_revealed(), ca);
    if (!st.ok())
      return absl::DataLossError(absl::StrCat("log #", e.seq(), " (BidRevealed of bid #",
                                              e.bid_revealed().bid(), "): ", st.message()));
    ++a->reveals;
  }
  return absl::OkStatus();
}

void CountVerdicts(const std::vector<v1::Event>& events, OpeningAudit* a) {
  for (const v1::Event& e : events) {
    if (!e.has_bid_verdict()) continue;
    ++a->verdicts;
    if (e.bid_verdict().status() != v1::BID_STATUS_DECRYPTED) continue;
    ++a->decrypted;
    a->announced_values += e.bid_verdict().values_size();
  }
}

}  // namespace

absl::StatusOr<OpeningAudit> AuditOpenings(const std::vector<v1::Event>& events,
                                           const std::string& ca_pem) {
  OpeningAudit a;
  BO_RETURN_IF_ERROR(CheckReveals(events, ca_pem, &a));
  std::map<std::string, std::vector<v1::Event>> by_tender;
  for (const v1::Event& e : events)
    if (!e.tender_id().empty()) by_tender[e.tender_id()].push_back(e);
  for (const auto& [id, tender_events] : by_tender) {
    auto folded = FoldTender(tender_events);
    if (!folded.ok())
      return absl::DataLossError(
          absl::StrCat("tender ", id, " does not fold: ", folded.status().message()));
    ++a.tenders_folded;
  }
  CountVerdicts(events, &a);
  return a;
}

std::vector<std::string> OpeningAuditLines(const OpeningAudit& a) {
  std::vector<std::string> lines;
  if (a.reveals > 0)
    lines.push_back(absl::StrCat(
        a.reveals,
        " revealed bids: each statement signed by its bidder's certificate, issued by "
        "the trusted CA; each opens its bid's commitment and signs its sealed header"));
  if (a.verdicts > 0)
    lines.push_back(
        absl::StrCat(a.announced_values, " announced values of ", a.decrypted,
                     " bids tied to their sealed headers (values -> header -> signed statement -> "
                     "bid_submitted before the deadline); ",
                     a.verdicts - a.decrypted, " of ", a.verdicts, " verdicts not decrypted"));
  return lines;
}

}  // namespace bidopen::client
