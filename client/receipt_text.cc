#include "client/receipt_text.h"

#include "absl/strings/str_cat.h"
#include "client/tender_cache.h"
#include "core/crypto/sha256.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

std::string IndexText(const bid::VerifiedReceipt& v) {
  std::string out = absl::StrCat(v.body.seq());
  if (v.event.has_bid_submitted() && v.event.bid_submitted().has_replaces())
    absl::StrAppend(&out, " (replaces your bid at log index ", v.event.bid_submitted().replaces(),
                    ")");
  if (v.event.has_bid_withdrawn())
    absl::StrAppend(&out, " (withdraws your bid at log index ", v.event.bid_withdrawn().withdraws(),
                    ")");
  return out;
}

}  // namespace

const char* ReceiptKindName(v1::ReceiptKind kind) {
  return kind == v1::RECEIPT_KIND_WITHDRAWN ? "withdrawal" : "submission";
}

absl::TimeZone TenderZone(const std::string& tender_id) {
  auto cached = LoadTenderCache(tender_id);
  if (!cached.ok()) return absl::UTCTimeZone();
  return ZoneOrUtc(cached->tender.time_zone());
}

std::string ReceivedText(const bid::VerifiedReceipt& v) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", FromProto(v.body.received()),
                          TenderZone(v.statement.tender_id()));
}

void PrintReceiptLines(std::ostream& out, const bid::VerifiedReceipt& v) {
  const v1::BidStatement& s = v.statement;
  out << "  tender        " << s.tender_id() << " lot " << s.lot() << "\n"
      << "  bidder        " << s.bidder() << "\n"
      << "  sealed file   " << s.size() << " bytes, SHA-256 " << crypto::Hex(s.ciphertext_sha256())
      << "\n"
      << "  header hash   " << crypto::Hex(s.header_sha256()) << "\n"
      << "  log index     " << IndexText(v) << "\n"
      << "  received      " << ReceivedText(v) << " (server clock)\n";
}

}  // namespace bidopen::client
