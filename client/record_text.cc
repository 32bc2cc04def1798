#include "client/record_text.h"

#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "core/crypto/sha256.h"
#include "core/opening/time_text.h"
#include "core/opening/verdict_rules.h"

namespace bidopen::client {
namespace {

std::string Org(const v1::Party& p) {
  return p.organization().empty() ? p.fingerprint().substr(0, 16) : p.organization();
}

std::string At(const v1::LogPosition& p, absl::TimeZone zone) {
  if (p.seq() == 0 && !p.has_time()) return "-";
  return absl::StrCat(WholeSecondsText(p.time(), zone), " (log #", p.seq(), ")");
}

std::string ResponseText(v1::HallResponse r) {
  switch (r) {
    case v1::HALL_RESPONSE_CONFIRMED:
      return "confirmed 已确认";
    case v1::HALL_RESPONSE_OBJECTED:
      return "objected 有异议";
    case v1::HALL_RESPONSE_DID_NOT_OBJECT:
      return "did not object 未提出异议";
    default:
      return "-";
  }
}

std::vector<std::pair<std::string, std::string>> Times(const v1::OpeningRecordBody& r,
                                                       absl::TimeZone z) {
  return {
      {"submission deadline 投标截止", WholeSecondsText(r.submission_deadline(), z)},
      {"opening time 开标时间", WholeSecondsText(r.opening_time(), z)},
      {"started 开始", absl::StrCat(At(r.started(), z), " by ", Org(r.started_by()))},
      {"decryption window 解密截止", WholeSecondsText(r.window_end(), z)},
      {"decryption ended 解密结束",
       absl::StrCat(At(r.decryption_ended(), z), r.ended_early() ? " (early, by the agency)" : "")},
      {"announced 唱标", At(r.announced(), z)},
      {"confirm until 确认截止", WholeSecondsText(r.confirm_until(), z)},
      {"closed 开标结束", absl::StrCat(At(r.closed(), z), " by ", Org(r.closed_by()))},
  };
}

std::string H(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

}  // namespace

std::string AnnouncedText(const v1::AnnouncementTable& table, const v1::AnnouncedBid& b) {
  if (b.status() != v1::BID_STATUS_DECRYPTED)
    return absl::StrCat("not decrypted 解密失败: ", FaultName(b.fault()), "; ",
                        ConsequenceName(b.consequence()), " — ", b.reason());
  std::vector<std::string> parts;
  for (const v1::FormValue& v : b.values()) {
    std::string unit;
    for (const v1::FormField& f : table.form())
      if (f.name() == v.name()) unit = f.unit();
    parts.push_back(absl::StrCat(v.name(), " ", v.value(), unit.empty() ? "" : " ", unit));
  }
  return absl::StrJoin(parts, ", ");
}

void PrintAnnouncement(std::ostream& out, const v1::AnnouncementTable& t) {
  out << "Announcement 唱标: lot " << t.lot() << " of tender " << t.tender_id() << "  "
      << t.lot_title() << "\n";
  if (!t.failure().empty()) out << "  FAILED 流标: " << t.failure() << "\n";
  for (const v1::AnnouncedBid& b : t.bids())
    out << "  #" << b.bid() << "  " << Org(b.bidder()) << " ("
        << b.bidder().fingerprint().substr(0, 16) << "…)  " << AnnouncedText(t, b) << "\n";
}

void PrintRecord(std::ostream& out, const v1::OpeningRecordBody& r) {
  const absl::TimeZone z = ZoneOrUtc(r.time_zone());
  out << "Opening record 开标记录表\n"
      << "  tender 项目        " << r.tender_id() << "  " << r.tender_title()
      << (r.reference().empty() ? "" : absl::StrCat(" (", r.reference(), ")")) << "\n"
      << "  agency 代理机构    " << Org(r.agency()) << "\n"
      << "  lot 标段           " << r.lot() << "  " << r.lot_title() << "  (times in "
      << r.time_zone() << ")\n";
  for (const auto& [label, value] : Times(r, z)) out << "  " << label << "  " << value << "\n";
  if (!r.failure().empty()) out << "  FAILED 流标: " << r.failure() << "\n";
  out << "  bids 投标 (" << r.bids_size() << "): " << r.signed_in() << " signed in, "
      << r.confirmed() << " confirmed, " << r.objected() << " objected, " << r.did_not_object()
      << " did not object\n";
  for (const v1::RecordBid& b : r.bids()) {
    const v1::AnnouncedBid& a = b.announced();
    out << "    #" << a.bid() << "  " << Org(a.bidder()) << "  "
        << AnnouncedText(r.announcement(), a) << "\n"
        << "          signed in 签到: " << At(b.signed_in(), z)
        << "; response 确认: " << ResponseText(b.response()) << "\n";
  }
  for (const v1::Objection& o : r.objections()) {
    out << "  objection 异议 #" << o.seq() << " by " << Org(o.bidder()) << " at "
        << WholeSecondsText(o.time(), z) << ": " << o.text() << "\n";
    out << "    answer 答复 by " << Org(o.answer().by()) << " at " << At(o.answer().at(), z) << ": "
        << o.answer().text() << "\n";
  }
  out << "  announcement sha256 " << crypto::Hex(r.announcement_sha256()) << "\n"
      << "  closing head 树头   size " << r.closing_head().size() << ", root "
      << crypto::Hex(r.closing_head().root_hash()) << ", signed "
      << WholeSecondsText(r.closing_head().time(), z) << "\n"
      << "  checked: signed by the log key, equal byte for byte to the record recomputed from "
         "the verified log, every confirmation signature verified\n";
}

std::string RecordHtml(const v1::OpeningRecordBody& r, const std::string& record_signature) {
  const absl::TimeZone z = ZoneOrUtc(r.time_zone());
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>开标记录表 "
       "Opening record "
    << H(r.tender_id()) << "/" << r.lot()
    << "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
       "width:100%;margin:1em 0}td,th{border:1px solid #444;padding:4px 8px;text-align:left;"
       "vertical-align:top}th{background:#eee}code{font-size:85%;word-break:break-all}"
       "@media print{body{margin:0}}</style></head><body>\n";
  o << "<h1>开标记录表 Opening record</h1>\n<table>\n"
    << "<tr><th>项目 Tender</th><td>" << H(r.tender_id()) << " " << H(r.tender_title())
    << (r.reference().empty() ? "" : absl::StrCat(" (", H(r.reference()), ")")) << "</td></tr>\n"
    << "<tr><th>代理机构 Agency</th><td>" << H(Org(r.agency())) << "</td></tr>\n"
    << "<tr><th>标段 Lot</th><td>" << r.lot() << " " << H(r.lot_title()) << "</td></tr>\n"
    << "<tr><th>时区 Time zone</th><td>" << H(r.time_zone()) << "</td></tr>\n";
  for (const auto& [label, value] : Times(r, z))
    o << "<tr><th>" << H(label) << "</th><td>" << H(value) << "</td></tr>\n";
  if (!r.failure().empty()) o << "<tr><th>流标 Failed</th><td>" << H(r.failure()) << "</td></tr>\n";
  o << "</table>\n<h2>唱标 Announcement</h2>\n<table>\n<tr><th>投标 Bid</th><th>投标人 "
       "Bidder</th><th>开标内容 Announced</th><th>签到 Signed in</th><th>确认 "
       "Response</th></tr>\n";
  for (const v1::RecordBid& b : r.bids()) {
    const v1::AnnouncedBid& a = b.announced();
    o << "<tr><td>#" << a.bid() << "</td><td>" << H(Org(a.bidder())) << "<br><code>"
      << H(a.bidder().fingerprint()) << "</code></td><td>" << H(AnnouncedText(r.announcement(), a))
      << "</td><td>" << H(At(b.signed_in(), z)) << "</td><td>" << H(ResponseText(b.response()));
    if (b.has_confirmed())
      o << "<br>" << H(At(b.confirmed(), z)) << "<br>签名 signature (ECDSA P-256, DER):<br><code>"
        << absl::BytesToHexString(b.confirmation_signature()) << "</code>";
    o << "</td></tr>\n";
  }
  o << "</table>\n<h2>异议与答复 Objections and answers</h2>\n";
  if (r.objections().empty()) o << "<p>无 None.</p>\n";
  for (const v1::Objection& x : r.objections())
    o << "<p><b>#" << x.seq() << "</b> " << H(Org(x.bidder())) << ", "
      << H(WholeSecondsText(x.time(), z)) << ": " << H(x.text()) << "<br><b>答复 Answer</b> "
      << H(Org(x.answer().by())) << ", " << H(At(x.answer().at(), z)) << ": "
      << H(x.answer().text()) << "</p>\n";
  o << "<h2>如何核验 How to check</h2>\n<table>\n"
    << "<tr><th>唱标哈希 Announcement SHA-256</th><td><code>"
    << crypto::Hex(r.announcement_sha256()) << "</code></td></tr>\n"
    << "<tr><th>开标结束时的树头 Tree head at close</th><td>size " << r.closing_head().size()
    << ", root <code>" << crypto::Hex(r.closing_head().root_hash()) << "</code>, signed "
    << H(WholeSecondsText(r.closing_head().time(), z)) << "<br><code>"
    << H(r.closing_head().checkpoint()) << "</code></td></tr>\n"
    << "<tr><th>日志密钥签名 Log key signature</th><td><code>"
    << absl::BytesToHexString(record_signature) << "</code></td></tr>\n</table>\n"
    << "<p>Each bidder's confirmation signs LP(\"bidopen/v1/confirm\") ‖ LP(tender) ‖ u32(lot) ‖ "
       "LP(announcement SHA-256) with its certificate key; the log key signs LP(\"bidopen/v1/"
       "record\") ‖ LP(record bytes). To check this record yourself: <code>bidctl audit fetch "
    << H(r.tender_id()) << "/" << r.lot()
    << " -o bundle.json</code>, then <code>bidctl audit verify bundle.json</code> recomputes it "
       "from the log, byte for byte, and checks every signature above "
       "(docs/opening-hall.md \"Checking the record\").</p>\n</body></html>\n";
  return o.str();
}

}  // namespace bidopen::client
