#include "client/tender_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/opening/lot_rules.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

std::string FormText(const v1::LotSpec& spec) {
  std::vector<std::string> parts;
  for (const auto& f : spec.form())
    parts.push_back(absl::StrCat(f.name(), " ", FieldTypeName(f.type()),
                                 f.unit().empty() ? "" : " " + f.unit(),
                                 f.required() ? "" : " (optional)"));
  return absl::StrJoin(parts, ", ");
}

std::string PolicyText(const v1::LotSpec& spec) {
  std::string out(PolicyName(spec.policy()));
  if (spec.custodians_size() > 0)
    absl::StrAppend(&out, ", custodians ", spec.threshold(), " of ", spec.custodians_size());
  return out;
}

const char* BidStatusName(v1::BidStatus s) {
  switch (s) {
    case v1::BID_STATUS_LIVE:
      return "live";
    case v1::BID_STATUS_REPLACED:
      return "replaced";
    case v1::BID_STATUS_WITHDRAWN:
      return "withdrawn";
    case v1::BID_STATUS_DECRYPTED:
      return "decrypted";
    case v1::BID_STATUS_DECRYPT_FAILED:
      return "decrypt failed";
    default:
      return "unknown";
  }
}

// The bids as the log shows them: by log index, no bidder before the opening.
void PrintBids(std::ostream& out, const v1::Lot& lot, absl::TimeZone zone) {
  int live = 0;
  for (const auto& b : lot.bids()) live += b.status() == v1::BID_STATUS_LIVE ? 1 : 0;
  out << "  bids                 " << lot.bids_size() << " received, " << live << " live\n";
  for (const auto& b : lot.bids()) {
    std::string ended;
    if (b.status() == v1::BID_STATUS_REPLACED) ended = absl::StrCat(" by #", b.ended_seq());
    if (b.status() == v1::BID_STATUS_WITHDRAWN) ended = absl::StrCat(" at #", b.ended_seq());
    out << "    #" << b.seq() << "  " << WholeSecondsText(b.received(), zone) << "  " << b.size()
        << " bytes  " << BidStatusName(b.status()) << ended << "\n";
  }
}

void PrintLot(std::ostream& out, const v1::Lot& lot, absl::TimeZone zone) {
  const auto& s = lot.spec();
  out << "\nLot " << lot.number() << "  " << s.title() << "  [" << LotStatusName(lot.status())
      << "]\n";
  out << "  submission deadline  " << TimeText(s.submission_deadline(), zone) << "\n"
      << "  opening time         " << TimeText(s.opening_time(), zone)
      << (s.auto_start() ? " (the server starts the opening)" : "") << "\n"
      << "  decryption window    " << DurationText(FromProto(s.decryption_window())) << "\n"
      << "  minimum valid bids   " << s.min_valid_bids() << "\n"
      << "  opening form         " << FormText(s) << "\n"
      << "  opening policy       " << PolicyText(s) << "\n";
  for (const auto& c : s.custodians()) out << "    custodian " << c << "\n";
  for (const auto& a : lot.amendments())
    out << "  amended (log #" << a.at().seq() << ") " << WholeSecondsText(a.at().time(), zone)
        << ": deadline " << TimeText(a.old_deadline(), zone) << " -> "
        << TimeText(a.new_deadline(), zone) << ", opening " << TimeText(a.new_opening_time(), zone)
        << "; reason: " << a.reason() << "\n";
  if (!lot.cancel_reason().empty()) out << "  cancelled: " << lot.cancel_reason() << "\n";
  if (lot.bids_size() > 0) PrintBids(out, lot, zone);
}

}  // namespace

const char* LotStatusName(v1::LotStatus s) {
  static const char* const kNames[] = {
      "UNSPECIFIED", "SCHEDULED",  "POSTPONED", "SUBMISSION_CLOSED", "OPENING", "DECRYPTING",
      "ANNOUNCING",  "CONFIRMING", "CLOSED",    "CANCELLED",         "FAILED"};
  int i = static_cast<int>(s);
  return i >= 0 && i < 11 ? kNames[i] : "UNKNOWN";
}

void PrintTender(std::ostream& out, const v1::Tender& t) {
  absl::TimeZone zone = ZoneOrUtc(t.time_zone());
  out << "Tender " << t.id() << "  " << t.title() << "\n";
  if (!t.reference().empty()) out << "  reference   " << t.reference() << "\n";
  out << "  agency      " << t.agency().organization() << " ("
      << t.agency().fingerprint().substr(0, 16) << "...)\n"
      << "  time zone   " << t.time_zone() << "\n"
      << "  created     " << WholeSecondsText(t.created().time(), zone) << " (log #"
      << t.created().seq() << ")\n";
  if (t.cancelled()) out << "  CANCELLED   " << t.cancel_reason() << "\n";
  for (const auto& lot : t.lots()) PrintLot(out, lot, zone);
}

void PrintTenderTable(std::ostream& out, const v1::ListTendersResponse& list) {
  if (list.tenders_size() == 0) {
    out << "no tenders\n";
    return;
  }
  out << absl::StrFormat("%-14s %-32s %4s  %-26s %s\n", "ID", "TITLE", "LOTS",
                         "FIRST DEADLINE (LOCAL)", "STATUS");
  for (const auto& t : list.tenders()) {
    std::string deadline =
        t.lots_size() ? TimeText(t.lots(0).spec().submission_deadline(), ZoneOrUtc(t.time_zone()))
                      : "";
    std::string title = t.title().size() > 32 ? t.title().substr(0, 29) + "..." : t.title();
    out << absl::StrFormat("%-14s %-32s %4d  %-26s %s\n", t.id(), title, t.lots_size(), deadline,
                           t.cancelled() ? "CANCELLED" : LotStatusName(t.lots(0).status()));
  }
  if (!list.next_page_token().empty())
    out << "(more: --page-token " << list.next_page_token() << ")\n";
}

}  // namespace bidopen::client
