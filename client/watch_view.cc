#include "client/watch_view.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/tender_text.h"
#include "core/opening/announcement.h"
#include "core/opening/release_timing.h"
#include "core/opening/time_text.h"
#include "core/opening/verdict_rules.h"

namespace bidopen::client {
namespace {

using Lines = std::vector<std::string>;

const char* PhaseChinese(v1::LotStatus s) {
  switch (s) {
    case v1::LOT_STATUS_SCHEDULED:
      return "待开标";
    case v1::LOT_STATUS_POSTPONED:
      return "已延期";
    case v1::LOT_STATUS_SUBMISSION_CLOSED:
      return "投标截止";
    case v1::LOT_STATUS_OPENING:
      return "开标中";
    case v1::LOT_STATUS_DECRYPTING:
      return "解密中";
    case v1::LOT_STATUS_ANNOUNCING:
      return "待唱标";
    case v1::LOT_STATUS_CONFIRMING:
      return "确认中";
    case v1::LOT_STATUS_CLOSED:
      return "开标结束";
    case v1::LOT_STATUS_CANCELLED:
      return "已取消";
    case v1::LOT_STATUS_FAILED:
      return "流标";
    default:
      return "未知";
  }
}

std::string At(const v1::LogPosition& p, absl::TimeZone zone) {
  return absl::StrCat(WholeSecondsText(p.time(), zone), " (log #", p.seq(), ")");
}

std::string In(absl::Time end, absl::Time now, absl::TimeZone zone) {
  return absl::StrCat(TimeText(end, zone), ", in ", CountdownText(end - now));
}

std::string Who(const v1::Party& p) {
  return absl::StrCat(p.organization(), " (", p.fingerprint().substr(0, 12), "…)");
}

// Who a bid is: its revealed bidder, else the bidder that signed in with it.
std::string BidderOf(const fold::Bid& b) {
  if (!b.opening().bidder().fingerprint().empty()) return Who(b.opening().bidder());
  if (!b.hall().signed_in_by().fingerprint().empty()) return Who(b.hall().signed_in_by());
  return "(not revealed)";
}

std::string UnitOf(const v1::LotSpec& spec, const std::string& field) {
  for (const auto& f : spec.form())
    if (f.name() == field && !f.unit().empty()) return absl::StrCat(" (", f.unit(), ")");
  return "";
}

void Header(Lines& out, const WatchState& s, const fold::Lot& lot, absl::Time now,
            absl::TimeZone zone) {
  out.push_back(absl::StrCat("开标大厅 opening hall — ", s.tender_id, " lot ", lot.number(), "  ",
                             lot.spec().title()));
  out.push_back(absl::StrCat("阶段 phase        ", PhaseName(lot.status())));
  out.push_back(absl::StrCat("倒计时 countdown  ", CountdownLine(lot, now, zone)));
  out.push_back(absl::StrCat("服务器时间 server  ",
                             s.have_beat ? absl::StrCat(WholeSecondsText(ToProto(now), zone),
                                                        " (signed heartbeat, verified)")
                                         : "no heartbeat yet"));
  out.push_back(absl::StrCat(
      "开标时间 opening   ", TimeText(lot.spec().opening_time(), zone),
      lot.spec().auto_start() ? " (the server starts it)" : " (the agency starts it)"));
}

// The lot's bids: who signed in, which were revealed and opened.
void Bids(Lines& out, const WatchState& s, const fold::Lot& lot, absl::TimeZone zone) {
  const v1::LotOpening& o = lot.opening();
  out.push_back(absl::StrCat("签到 signed in     ", lot.hall().signed_in(), " bidder(s)"));
  if (lot.has_opening())
    out.push_back(absl::StrCat("投标 bids          ", o.bids(), " at the start, ", o.revealed(),
                               " revealed, ", o.opened(), " opened (已解密 decrypted) so far"));
  else
    out.push_back(absl::StrCat("投标 bids          ", lot.bids().live(), " live"));
  for (const auto& [seq, b] : s.tender.bids) {
    if (b.lot() != lot.number() || b.status() == v1::BID_STATUS_REPLACED ||
        b.status() == v1::BID_STATUS_WITHDRAWN)
      continue;
    const bool revealed = b.has_opening();
    if (!revealed && !b.hall().has_signed_in()) continue;
    out.push_back(absl::StrFormat(
        "  #%-6d %-44s %s  %s", seq, BidderOf(b),
        b.hall().has_signed_in()
            ? absl::StrCat("已签到 signed in ", WholeSecondsText(b.hall().signed_in().time(), zone))
            : "未签到 not signed in",
        !revealed                        ? ""
        : b.opening().opened()           ? "已解密 opened"
        : b.opening().verdict_seq() != 0 ? "未能解密 not opened"
                                         : "待解密 not opened yet"));
  }
}

void Announcement(Lines& out, const WatchState& s, const fold::Lot& lot, absl::TimeZone zone) {
  if (!lot.hall().has_announced()) return;
  out.push_back(absl::StrCat("唱标 announcement  ", At(lot.hall().announced(), zone)));
  absl::StatusOr<v1::AnnouncementTable> t = AnnouncementOf(s.tender, lot.number());
  if (!t.ok()) {
    out.push_back(absl::StrCat("  (the table cannot be made: ", t.status().message(), ")"));
    return;
  }
  if (!t->failure().empty()) out.push_back(absl::StrCat("  流标 failed: ", t->failure()));
  std::vector<std::string> heads;
  for (const auto& f : t->form()) heads.push_back(f.name() + UnitOf(lot.spec(), f.name()));
  // "投标人" is 9 bytes in 6 columns, a row's "…" 3 bytes in 1.
  out.push_back(
      absl::StrFormat("  %-7s %-45s %s", "BID", "BIDDER 投标人", absl::StrJoin(heads, " | ")));
  for (const v1::AnnouncedBid& b : t->bids()) {
    std::vector<std::string> vals;
    for (const auto& v : b.values()) vals.push_back(v.value());
    out.push_back(absl::StrFormat(
        "  #%-6d %-44s %s", b.bid(), Who(b.bidder()),
        b.status() == v1::BID_STATUS_DECRYPTED
            ? absl::StrJoin(vals, " | ")
            : absl::StrCat("未解密 not decrypted: fault ", FaultName(b.fault()), "; ",
                           ConsequenceName(b.consequence()), "; ", b.reason())));
  }
}

void Hall(Lines& out, const WatchState& s, const fold::Lot& lot, absl::TimeZone zone) {
  const v1::LotHall& h = lot.hall();
  if (!h.has_announced()) return;
  std::vector<std::string> who;
  for (const auto& [seq, b] : s.tender.bids)
    if (b.lot() == lot.number() && b.hall().has_confirmed()) who.push_back(absl::StrCat("#", seq));
  out.push_back(absl::StrCat("确认 confirmed     ", h.confirmed(), " bidder(s)",
                             who.empty() ? "" : absl::StrCat(": ", absl::StrJoin(who, ", "))));
  out.push_back(absl::StrCat("异议 objections    ", h.objections_size(), ", ", h.unanswered(),
                             " unanswered"));
  for (const v1::Objection& o : h.objections()) {
    out.push_back(absl::StrCat("  #", o.seq(), " ", Who(o.bidder()), " (bid #", o.bid(), ") ",
                               WholeSecondsText(o.time(), zone), ": ", o.text()));
    if (o.has_answer())
      out.push_back(absl::StrCat("    答复 answer ", WholeSecondsText(o.answer().at().time(), zone),
                                 " by ", o.answer().by().organization(), ": ", o.answer().text()));
    else
      out.push_back("    待答复 awaiting the agency's answer");
  }
  if (h.has_closed())
    out.push_back(absl::StrCat("结束 closed        ", At(h.closed(), zone), " by ",
                               h.closed_by().organization()));
}

}  // namespace

std::string PhaseName(v1::LotStatus status) {
  return absl::StrCat(PhaseChinese(status), " ", LotStatusName(status));
}

std::string CountdownLine(const fold::Lot& lot, absl::Time now, absl::TimeZone zone) {
  const v1::LotOpening& o = lot.opening();
  const v1::LotHall& h = lot.hall();
  if (lot.status() == v1::LOT_STATUS_CANCELLED)
    return absl::StrCat("已取消 cancelled: ", lot.cancel_reason());
  if (h.has_closed()) return absl::StrCat("已结束 closed ", At(h.closed(), zone));
  if (h.has_announced()) {
    const absl::Time until = FromProto(h.confirm_until());
    if (now < until) return absl::StrCat("确认截止 confirmations until ", In(until, now, zone));
    return absl::StrCat("确认已截止 confirmations closed at ", TimeText(until, zone),
                        "; waiting for the agency to close the opening");
  }
  if (o.has_ended())
    return absl::StrCat("解密结束 decryption ended ", At(o.ended(), zone),
                        o.ended_early() ? " (early, by the agency)" : "",
                        "; waiting for the announcement");
  if (!o.failure().empty()) return absl::StrCat("流标 failed at the start: ", o.failure());
  if (lot.has_opening()) {
    const absl::Time end = FromProto(o.window_end());
    if (now < end) return absl::StrCat("解密窗口 decryption window ends ", In(end, now, zone));
    return absl::StrCat("解密窗口已过 decryption window ended at ", TimeText(end, zone),
                        "; waiting for the verdicts");
  }
  const absl::Time open = FromProto(lot.spec().opening_time());
  if (now < open) return absl::StrCat("开标倒计时 opening ", In(open, now, zone));
  return absl::StrCat("开标时间已到 opening time passed ", DurationText(now - open),
                      " ago; waiting for ", lot.spec().auto_start() ? "the server" : "the agency",
                      " to start it");
}

std::vector<std::string> WatchLines(const WatchState& s, absl::Time now) {
  Lines out;
  const fold::Lot* lot = FoldedLot(s);
  if (lot == nullptr) {
    out.push_back(absl::StrCat("开标大厅 opening hall — ", s.tender_id, " lot ", s.lot,
                               ": waiting for the tender's events"));
  } else {
    const absl::TimeZone zone = ZoneOrUtc(s.tender.tender.time_zone());
    Header(out, s, *lot, now, zone);
    Bids(out, s, *lot, zone);
    Announcement(out, s, *lot, zone);
    Hall(out, s, *lot, zone);
  }
  out.push_back(absl::StrCat("(", s.events, " events, up to log #",
                             s.next_seq == 0 ? 0 : s.next_seq - 1, ")", s.note.empty() ? "" : "  ",
                             s.note));
  return out;
}

}  // namespace bidopen::client
