// The per-bidder quota on unfinished uploads (issue 10, item 3): what a
// bidder's open uploads in other lots reserve, by their declared sizes, plus
// the file it starts must stay within the server's quota.
#ifndef BIDOPEN_CORE_BID_UPLOAD_QUOTA_H_
#define BIDOPEN_CORE_BID_UPLOAD_QUOTA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bidopen::bid {

// Named in the refusal; a client tells by it that waiting will not help
// (unlike RESOURCE_EXHAUSTED for a busy server, which it retries).
inline constexpr absl::string_view kPartialQuotaFlag = "--partial-upload-quota";

// One of the bidder's uploads that is open (started, not committed, not
// discarded): it reserves `size` bytes, of which `received` are stored.
struct OpenUpload {
  std::string tender_id;
  int lot = 0;
  uint64_t size = 0;
  uint64_t received = 0;
};

// OK if the open uploads of other lots than (tender_id, lot) and `size` fit
// in `quota`; otherwise RESOURCE_EXHAUSTED naming the quota, what is held and
// where, and how to free it. An open upload of the same lot does not count:
// this upload continues or replaces it.
absl::Status CheckPartialQuota(const std::vector<OpenUpload>& open, const std::string& tender_id,
                               int lot, uint64_t size, uint64_t quota);

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_UPLOAD_QUOTA_H_
