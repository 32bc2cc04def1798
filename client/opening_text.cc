#include "client/opening_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/hall_text.h"
#include "client/tender_text.h"
#include "core/crypto/sha256.h"
#include "core/opening/release_timing.h"
#include "core/opening/time_text.h"
#include "core/opening/verdict_rules.h"

namespace bidopen::client {
namespace {

std::string BidderText(const v1::BidEntry& b) {
  if (!b.has_opening() || b.opening().bidder().fingerprint().empty()) return "(not revealed)";
  const v1::Party& p = b.opening().bidder();
  return absl::StrCat(p.organization(), " (", p.common_name(), ")");
}

std::string UnitOf(const v1::LotSpec& spec, const std::string& field) {
  for (const auto& f : spec.form())
    if (f.name() == field && !f.unit().empty()) return " " + f.unit();
  return "";
}

std::string SharesText(const google::protobuf::RepeatedField<uint32_t>& xs) {
  return absl::StrJoin(xs, ", ");
}

// The phase line: what the lot waits for and how long is left.
std::string PhaseText(const OpeningView& v) {
  const v1::Lot& lot = v.lot();
  std::string out = LotStatusName(lot.status());
  const std::string ended =
      lot.opening().has_ended()
          ? absl::StrCat("decryption ended ",
                         WholeSecondsText(lot.opening().ended().time(), v.zone),
                         lot.opening().ended_early() ? " (early, by the agency)" : "")
          : "";
  if (lot.status() == v1::LOT_STATUS_FAILED || !lot.opening().failure().empty())
    return absl::StrCat(out, ": ", lot.opening().failure(), ended.empty() ? "" : "; ", ended);
  if (lot.status() == v1::LOT_STATUS_CANCELLED) return absl::StrCat(out, ": ", lot.cancel_reason());
  if (!ended.empty()) return absl::StrCat(out, "; ", ended);
  return absl::StrCat(
      out, "; ", WaitLine(lot, v1::RELEASE_KIND_UNSPECIFIED, v.signed_now, absl::Now(), v.zone));
}

void PrintCustodians(std::ostream& out, const v1::Lot& lot) {
  const v1::LotSpec& spec = lot.spec();
  if (spec.custodians_size() == 0) return;
  int accepted = 0;
  for (const auto& c : lot.opening().custodians()) accepted += c.accepted() ? 1 : 0;
  out << "  custodians         " << accepted << " of " << spec.custodians_size()
      << " released their key (" << spec.threshold() << " needed)\n";
  for (const auto& c : lot.opening().custodians())
    out << "    share " << c.share_x() << "  " << c.fingerprint().substr(0, 16) << "…  "
        << (c.accepted() ? "released" : "wrong key") << ", " << c.attempts() << " attempt(s), log #"
        << c.seq() << "\n";
}

void PrintVerdict(std::ostream& out, const v1::LotSpec& spec, const v1::BidEntry& b) {
  const v1::BidOpening& o = b.opening();
  if (o.fault() != v1::FAULT_UNSPECIFIED && o.fault() != v1::FAULT_NONE)
    out << "      fault: " << FaultName(o.fault()) << "; " << ConsequenceName(o.consequence())
        << "\n";
  if (!o.verdict().empty()) out << "      reason: " << o.verdict() << "\n";
  for (const auto& val : o.values())
    out << "      " << val.name() << " = " << val.value() << UnitOf(spec, val.name()) << "\n";
  if (o.not_released_size() > 0)
    out << "      not released: share " << SharesText(o.not_released()) << "\n";
  if (o.wrong_key_size() > 0) out << "      wrong key: share " << SharesText(o.wrong_key()) << "\n";
  if (o.bad_shares_size() > 0)
    out << "      bad shares (the bidder's): " << SharesText(o.bad_shares()) << "\n";
}

// The start's check of the stored file and what became of it (review 4 R5).
void PrintStoredFile(std::ostream& out, const v1::BidEntry& b, absl::string_view lot_name) {
  const v1::BidOpening& o = b.opening();
  if (!o.has_stored_matched_at_start() || o.stored_matched_at_start()) return;
  out << "      stored file: the opening's start found it altered (SHA-256 "
      << (o.stored_sha256_at_start().empty() ? std::string("unreadable")
                                             : crypto::Hex(o.stored_sha256_at_start()))
      << ", not the signed one)";
  if (o.restored_seq() != 0)
    out << "; its bidder put the signed file back (log #" << o.restored_seq() << ")";
  out << "\n";
  const std::string hint = ResupplyHint(o, b.seq(), lot_name);
  if (!hint.empty()) out << "      " << hint << "\n";
}

}  // namespace

std::string ResupplyHint(const v1::BidOpening& o, uint64_t bid, absl::string_view lot_name) {
  if (!o.has_stored_matched_at_start() || o.stored_matched_at_start() || o.restored_seq() != 0 ||
      o.verdict_seq() != 0)
    return "";
  return absl::StrCat(
      "its bidder can put the sealed file back until the re-supply period ends: bidctl "
      "opening resupply ",
      lot_name, " --file SEALED (bid #", bid,
      "); otherwise the bid fails as the platform's fault (treated as withdrawn)");
}

const char* OpeningBidStatusName(v1::BidStatus s) {
  switch (s) {
    case v1::BID_STATUS_LIVE:
      return "live";
    case v1::BID_STATUS_REPLACED:
      return "replaced";
    case v1::BID_STATUS_WITHDRAWN:
      return "withdrawn";
    case v1::BID_STATUS_DECRYPTED:
      return "DECRYPTED";
    case v1::BID_STATUS_DECRYPT_FAILED:
      return "DECRYPT_FAILED";
    default:
      return "unknown";
  }
}

void PrintOpeningBids(std::ostream& out, const v1::Lot& lot, absl::string_view lot_name) {
  out << absl::StrFormat("  %-8s %-40s %-9s %-7s %s\n", "BID", "BIDDER", "RELEASED", "OPENED",
                         "STATUS");
  for (const v1::BidEntry& b : lot.bids()) {
    if (b.status() == v1::BID_STATUS_REPLACED || b.status() == v1::BID_STATUS_WITHDRAWN) continue;
    const v1::BidOpening& o = b.opening();
    const bool revealed = b.has_opening();
    out << absl::StrFormat("  #%-7d %-40s %-9s %-7s %s\n", b.seq(), BidderText(b),
                           !revealed             ? "-"
                           : o.bidder_released() ? "yes"
                                                 : absl::StrCat("no (", o.bidder_attempts(), ")"),
                           !revealed    ? "-"
                           : o.opened() ? "yes"
                                        : "no",
                           OpeningBidStatusName(b.status()));
    if (!o.attempt_failure().empty() && !o.opened())
      out << "      last failed attempt: " << o.attempt_failure() << "\n";
    PrintStoredFile(out, b, lot_name);
    PrintVerdict(out, lot.spec(), b);
  }
}

void PrintReleaseResult(std::ostream& out, const v1::ReleaseResult& r, absl::string_view what) {
  if (!r.accepted()) {
    out << "Not accepted: " << what << ": " << r.message() << "\n";
    return;
  }
  out << (r.already() ? "Already released: " : "Released: ") << what << " (log #" << r.seq()
      << ")\n";
  if (!r.message().empty()) out << "  " << r.message() << "\n";
  const v1::LotOpening& o = r.status().lot_state().opening();
  if (r.has_status())
    out << "  the lot: " << o.opened() << " of " << o.bids() << " bids opened so far; window ends "
        << WholeSecondsText(o.window_end(), ZoneOrUtc(r.status().time_zone())) << "\n";
}

void PrintOpening(std::ostream& out, const OpeningView& v) {
  const v1::Lot& lot = v.lot();
  const v1::LotOpening& o = lot.opening();
  out << "Tender " << v.status.lot().tender_id() << " lot " << lot.number() << "  "
      << lot.spec().title() << "\n"
      << "  phase              " << PhaseText(v) << "\n"
      << "  opening time       " << TimeText(lot.spec().opening_time(), v.zone)
      << (lot.spec().auto_start() ? " (the server starts it)" : " (the agency starts it)") << "\n"
      << "  server time        " << WholeSecondsText(ToProto(v.signed_now), v.zone)
      << " (signed, verified)\n";
  if (lot.has_opening()) {
    out << "  started            " << WholeSecondsText(o.started().time(), v.zone) << " by "
        << (o.auto_started() ? "the server (auto-start)" : o.started_by().organization())
        << ", log #" << o.started().seq() << "\n"
        << "  decryption window  until " << WholeSecondsText(o.window_end(), v.zone) << "\n";
    if (o.has_resupply_end())
      out << "  re-supply period   until " << WholeSecondsText(o.resupply_end(), v.zone)
          << " (the start found a stored file altered; no key is released before)\n";
    out << "  bids               " << o.bids() << " at the start, " << o.revealed() << " revealed, "
        << o.opened() << " opened so far\n";
    if (o.has_ended())
      out << "  verdicts           " << o.decrypted() << " decrypted, " << o.decrypt_failed()
          << " not\n";
  }
  // Accepted releases the server lost: the verdicts wait until each is
  // re-supplied by its releaser (docs/protocol.md "Lost releases").
  for (const v1::MissingRelease& m : v.status.missing_releases())
    out << "  verdicts wait for  release log #" << m.seq() << " ("
        << (m.kind() == v1::RELEASE_KIND_BIDDER ? absl::StrCat("the bidder of bid #", m.bid())
                                                : absl::StrCat("custodian ", m.share_x()))
        << "): the server lost its stored copy; its releaser re-supplies it by releasing "
           "again\n";
  PrintCustodians(out, lot);
  PrintOpeningBids(out, lot, absl::StrCat(v.status.lot().tender_id(), "/", lot.number()));
  PrintHall(out, lot, v.zone);
}

}  // namespace bidopen::client
