#include "client/key_use.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "client/audit_bundle.h"
#include "core/crypto/sha256.h"
#include "core/status_macros.h"

namespace bidopen::client {

absl::Status KeyAssignedOnlyTo(const std::vector<v1::Event>& events, const LotName& lot,
                               const std::string& key) {
  const std::string shown = crypto::Hex(key).substr(0, 16);
  bool mine = false;
  for (const v1::Event& e : events) {
    if (!e.has_tender_created()) continue;
    for (int l = 0; l < e.tender_created().lots_size(); ++l) {
      const auto& keys = e.tender_created().lots(l).custodian_keys();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
      if (e.tender_id() == lot.tender_id && l + 1 == lot.lot && !mine) {
        mine = true;
        continue;
      }
      return absl::DataLossError(absl::StrCat(
          "your per-lot key ", shown, "... is also held by lot ", l + 1, " of tender ",
          e.tender_id(), " (log #", e.seq(), "), not only by lot ", lot.lot, " of ", lot.tender_id,
          ": releasing it would open that lot's shares too; nothing was sent"));
    }
  }
  if (mine) return absl::OkStatus();
  return absl::NotFoundError(
      absl::StrCat("no tender in the log holds your per-lot key ", shown, "...; nothing was sent"));
}

absl::Status CheckKeyAssignedOnlyTo(const Globals& g, const Session& s, const LotName& lot,
                                    const std::string& key) {
  BO_ASSIGN_OR_RETURN(v1::AuditBundle b, FetchBundle(s, "", 0));
  absl::StatusOr<log::VerifiedBundle> verified = VerifyAndRemember(g, b);
  if (!verified.ok())
    return absl::Status(verified.status().code(),
                        absl::StrCat("the whole log, fetched to check that no other lot holds "
                                     "your per-lot key, does not verify: ",
                                     verified.status().message()));
  return KeyAssignedOnlyTo(verified->events, lot, key);
}

}  // namespace bidopen::client
