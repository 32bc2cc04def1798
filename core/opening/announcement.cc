#include "core/opening/announcement.h"

#include "absl/strings/str_cat.h"
#include "core/opening/lot_rules.h"
#include "core/opening/tender_rules.h"
#include "core/seal/format.h"
#include "core/status_macros.h"

namespace bidopen {
namespace {

absl::string_view StatusText(v1::BidStatus s) {
  return s == v1::BID_STATUS_DECRYPTED ? "decrypted" : "decrypt_failed";
}

absl::string_view FaultText(v1::Fault f) {
  switch (f) {
    case v1::FAULT_BIDDER:
      return "bidder";
    case v1::FAULT_CUSTODIANS:
      return "custodians";
    case v1::FAULT_PLATFORM:
      return "platform";
    default:
      return "none";
  }
}

absl::string_view ConsequenceText(v1::Consequence c) {
  switch (c) {
    case v1::CONSEQUENCE_REVOKED:
      return "revoked";
    case v1::CONSEQUENCE_WITHDRAWN:
      return "withdrawn";
    default:
      return "none";
  }
}

v1::AnnouncedBid Row(const fold::Bid& bid, const v1::LotSpec& spec) {
  const v1::BidOpening& o = bid.opening();
  v1::AnnouncedBid row;
  row.set_bid(bid.seq());
  row.mutable_bidder()->set_fingerprint(o.bidder().fingerprint());
  row.mutable_bidder()->set_organization(o.bidder().organization());
  row.set_status(bid.status());
  if (bid.status() != v1::BID_STATUS_DECRYPTED) {
    row.set_fault(o.fault());
    row.set_consequence(o.consequence());
    row.set_reason(o.verdict());
    return row;
  }
  row.set_fault(v1::FAULT_NONE);
  row.set_consequence(v1::CONSEQUENCE_NONE);
  for (const v1::FormField& f : spec.form())
    for (const v1::FormValue& v : o.values())
      if (v.name() == f.name()) *row.add_values() = v;
  return row;
}

void AppendBid(std::string* out, const v1::AnnouncedBid& b) {
  seal::AppendU64(out, b.bid());
  seal::AppendLp(out, b.bidder().fingerprint());
  seal::AppendLp(out, b.bidder().organization());
  seal::AppendLp(out, StatusText(b.status()));
  seal::AppendLp(out, FaultText(b.fault()));
  seal::AppendLp(out, ConsequenceText(b.consequence()));
  seal::AppendLp(out, b.reason());
  seal::AppendU32(out, static_cast<uint32_t>(b.values_size()));
  for (const v1::FormValue& v : b.values()) {
    seal::AppendLp(out, v.name());
    seal::AppendLp(out, v.value());
  }
}

}  // namespace

absl::StatusOr<v1::AnnouncementTable> AnnouncementOf(const TenderState& s, int number) {
  BO_ASSIGN_OR_RETURN(const fold::Lot* lot, FindLot(s.tender, number));
  v1::AnnouncementTable table;
  table.set_tender_id(s.tender.id());
  table.set_lot(number);
  table.set_lot_title(lot->spec().title());
  *table.mutable_form() = lot->spec().form();
  table.set_failure(lot->opening().has_ended() ? lot->opening().failure() : "");
  for (const auto& [seq, bid] : s.bids) {
    if (bid.lot() != number || !bid.has_opening()) continue;
    if (bid.opening().verdict_seq() == 0)
      return absl::FailedPreconditionError(absl::StrCat(
          "bid ", seq, " of lot ", number, " of tender ", s.tender.id(), " has no verdict yet"));
    *table.add_bids() = Row(bid, lot->spec());
  }
  if (static_cast<uint32_t>(table.bids_size()) != lot->opening().bids())
    return absl::InternalError(absl::StrCat("the state holds ", table.bids_size(), " of the ",
                                            lot->opening().bids(), " bids revealed in lot ", number,
                                            " of tender ", s.tender.id()));
  return table;
}

std::string AnnouncementBytes(const v1::AnnouncementTable& t) {
  std::string out;
  seal::AppendLp(&out, t.tender_id());
  seal::AppendU32(&out, static_cast<uint32_t>(t.lot()));
  seal::AppendLp(&out, t.lot_title());
  seal::AppendU32(&out, static_cast<uint32_t>(t.form_size()));
  for (const v1::FormField& f : t.form()) {
    seal::AppendLp(&out, f.name());
    seal::AppendLp(&out, FieldTypeName(f.type()));
    seal::AppendLp(&out, f.unit());
  }
  seal::AppendLp(&out, t.failure());
  seal::AppendU32(&out, static_cast<uint32_t>(t.bids_size()));
  for (const v1::AnnouncedBid& b : t.bids()) AppendBid(&out, b);
  return out;
}

std::string AnnouncementHash(const v1::AnnouncementTable& table) {
  return seal::LabelledHash(kAnnouncementLabel, {AnnouncementBytes(table)});
}

}  // namespace bidopen
