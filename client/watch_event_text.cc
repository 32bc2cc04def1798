#include "client/watch_event_text.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

std::string Org(const v1::Party& p) { return p.organization(); }

nlohmann::json ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
}

std::string Bid(uint64_t bid) { return absl::StrCat("bid #", bid); }

// What happened, in words; values never (they come with the announcement).
std::string What(const v1::Event& e) {
  using E = v1::Event;
  switch (e.body_case()) {
    case E::kTenderCreated:
      return absl::StrCat("招标创建 tender created: ", e.tender_created().title());
    case E::kLotAmended:
      return absl::StrCat("变更 lot amended: ", e.lot_amended().reason());
    case E::kTenderCancelled:
      return absl::StrCat("取消 cancelled: ", e.tender_cancelled().reason());
    case E::kBidSubmitted:
      return "投标 a bid was submitted";
    case E::kBidWithdrawn:
      return "撤回 a bid was withdrawn";
    case E::kLotKeysRegistered:
      return "custodians' per-lot keys registered";
    case E::kOpeningStarted:
      return e.opening_started().failure().empty()
                 ? absl::StrCat("开标 opening started with ", e.opening_started().bids_size(),
                                " bid(s)", e.opening_started().auto_started() ? " (auto)" : "")
                 : absl::StrCat("流标 failed at the start: ", e.opening_started().failure());
    case E::kBidRevealed:
      return absl::StrCat("揭示 ", Bid(e.bid_revealed().bid()),
                          " revealed: ", Org(e.bid_revealed().bidder()));
    case E::kKeyReleased:
      return absl::StrCat(
          "释放 ",
          e.key_released().kind() == v1::RELEASE_KIND_BIDDER
              ? absl::StrCat("the bidder of ", Bid(e.key_released().bid()))
              : absl::StrCat("custodian ", e.key_released().share_x()),
          e.key_released().accepted() ? " released its key" : " sent a key that does not match");
    case E::kBidDecrypted:
      return absl::StrCat(e.bid_decrypted().opened() ? "已解密 " : "未能解密 ",
                          Bid(e.bid_decrypted().bid()),
                          e.bid_decrypted().opened() ? " opened" : " did not open (yet)");
    case E::kBidVerdict:
      return absl::StrCat(
          "裁定 verdict on ", Bid(e.bid_verdict().bid()), ": ",
          e.bid_verdict().status() == v1::BID_STATUS_DECRYPTED ? "decrypted" : "not decrypted");
    case E::kDecryptionEnded:
      return absl::StrCat("解密结束 decryption ended: ", e.decryption_ended().decrypted(),
                          " decrypted, ", e.decryption_ended().decrypt_failed(), " not",
                          e.decryption_ended().failure().empty()
                              ? ""
                              : absl::StrCat("; 流标 failed: ", e.decryption_ended().failure()));
    case E::kBidderSignedIn:
      return absl::StrCat("签到 ", Org(e.actor()), " signed in (", Bid(e.bidder_signed_in().bid()),
                          ")");
    case E::kResultsAnnounced:
      return "唱标 results announced";
    case E::kAnnouncementConfirmed:
      return absl::StrCat("确认 ", Org(e.actor()), " confirmed the announcement");
    case E::kObjectionRaised:
      return absl::StrCat("异议 ", Org(e.actor()), " objects: ", e.objection_raised().text());
    case E::kObjectionAnswered:
      return absl::StrCat("答复 answer to objection #", e.objection_answered().objection(), ": ",
                          e.objection_answered().text());
    case E::kOpeningClosed:
      return "结束 the opening was closed";
    case E::kBidFileRestored:
      return absl::StrCat("恢复 ", Org(e.actor()), " put back the sealed file of ",
                          Bid(e.bid_file_restored().bid()), " (its signed SHA-256)");
    case E::kKeyRegistered:
    case E::kCertificateRevoked:
    case E::BODY_NOT_SET:
      break;
  }
  return EventKind(e);
}

}  // namespace

std::string EventKind(const v1::Event& e) {
  const auto* oneof = e.GetDescriptor()->FindOneofByName("body");
  const auto* field = e.GetReflection()->GetOneofFieldDescriptor(e, oneof);
  return field == nullptr ? "unknown" : field->name();
}

std::string ChangeLine(const v1::Event& e, absl::TimeZone zone) {
  return absl::StrCat(WholeSecondsText(e.time(), zone), "  log #", e.seq(), "  ", What(e));
}

std::string EventJsonLine(const v1::Event& e) {
  nlohmann::json j;
  j["seq"] = e.seq();
  j["time"] = TimeText(e.time(), absl::UTCTimeZone());
  j["kind"] = EventKind(e);
  j["actor"] = ToJson(e.actor());
  const auto* oneof = e.GetDescriptor()->FindOneofByName("body");
  const auto* field = e.GetReflection()->GetOneofFieldDescriptor(e, oneof);
  j["event"] =
      field == nullptr ? nlohmann::json::object() : ToJson(e.GetReflection()->GetMessage(e, field));
  return j.dump();
}

}  // namespace bidopen::client
