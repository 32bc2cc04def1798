#include "core/bid/upload_quota.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace bidopen::bid {
namespace {

constexpr size_t kNamed = 3;  // uploads named in the message; the rest are counted

std::string Where(const std::vector<const OpenUpload*>& held) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < held.size() && i < kNamed; ++i)
    parts.push_back(absl::StrCat("lot ", held[i]->lot, " of tender ", held[i]->tender_id, " (",
                                 held[i]->received, " of ", held[i]->size, " bytes stored)"));
  if (held.size() > kNamed) parts.push_back(absl::StrCat(held.size() - kNamed, " more"));
  return absl::StrJoin(parts, ", ");
}

}  // namespace

absl::Status CheckPartialQuota(const std::vector<OpenUpload>& open, const std::string& tender_id,
                               int lot, uint64_t size, uint64_t quota) {
  std::vector<const OpenUpload*> held;
  uint64_t reserved = 0;
  for (const OpenUpload& u : open) {
    if (u.tender_id == tender_id && u.lot == lot) continue;
    held.push_back(&u);
    reserved += u.size;
  }
  if (reserved + size <= quota) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "start.size: ", size, " bytes, and your ", held.size(), " unfinished upload(s) hold ",
      reserved, " bytes (declared sizes): ", Where(held),
      "; together more than this server's quota of ", quota,
      " bytes of unfinished uploads per bidder (", kPartialQuotaFlag,
      "). Free it by finishing "
      "one (`bidctl bid submit FILE --resume`, then it counts no more); an unfinished upload is "
      "discarded at its lot's submission deadline"));
}

}  // namespace bidopen::bid
