#include "client/hall_text.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

std::string Org(const v1::Party& p) {
  return p.organization().empty() ? p.fingerprint().substr(0, 16) : p.organization();
}

void PrintSignIns(std::ostream& out, const v1::Lot& lot, absl::TimeZone zone) {
  for (const v1::BidEntry& b : lot.bids()) {
    const v1::BidHall& h = b.hall();
    if (!h.has_signed_in()) continue;
    out << "    #" << b.seq() << "  " << Org(h.signed_in_by()) << " signed in at "
        << WholeSecondsText(h.signed_in().time(), zone);
    if (h.has_confirmed())
      out << "; confirmed 已确认 at " << WholeSecondsText(h.confirmed().time(), zone);
    out << "\n";
  }
}

void PrintObjections(std::ostream& out, const v1::LotHall& h, absl::TimeZone zone) {
  for (const v1::Objection& o : h.objections()) {
    out << "  objection 异议 #" << o.seq() << " by " << Org(o.bidder()) << " (bid #" << o.bid()
        << ") at " << WholeSecondsText(o.time(), zone) << ":\n      " << o.text() << "\n";
    if (o.has_answer())
      out << "    answer 答复 by " << Org(o.answer().by()) << " at "
          << WholeSecondsText(o.answer().at().time(), zone) << ":\n      " << o.answer().text()
          << "\n";
    else
      out << "    not answered yet 未答复 (`bidctl opening answer LOT " << o.seq()
          << " --text ...`)\n";
  }
}

}  // namespace

void PrintHall(std::ostream& out, const v1::Lot& lot, absl::TimeZone zone) {
  if (!lot.has_hall()) return;
  const v1::LotHall& h = lot.hall();
  out << "  sign-in 签到        " << h.signed_in() << " bidder(s) signed in\n";
  PrintSignIns(out, lot, zone);
  if (h.has_announced())
    out << "  announced 唱标      " << WholeSecondsText(h.announced().time(), zone) << ", log #"
        << h.announced().seq() << ", sha256 " << crypto::Hex(h.announcement_sha256()) << "\n"
        << "  confirm until 确认截止 " << WholeSecondsText(h.confirm_until(), zone) << "; "
        << h.confirmed() << " confirmed, " << h.objections_size() << " objection(s), "
        << h.unanswered() << " unanswered\n";
  PrintObjections(out, h, zone);
  if (h.has_closed())
    out << "  closed 开标结束     " << WholeSecondsText(h.closed().time(), zone) << " by "
        << Org(h.closed_by()) << ", log #" << h.closed().seq()
        << " (`bidctl opening record` prints the record)\n";
}

void PrintHallResult(std::ostream& out, const v1::HallResult& r, absl::string_view what) {
  out << (r.already() ? absl::StrCat("Already ", what, " before") : std::string(what)) << " (log #"
      << r.seq() << ")\n";
}

}  // namespace bidopen::client
