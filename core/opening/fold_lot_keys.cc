// Per-lot custodian keys: a tender's creation uses, for each custodian of each
// lot, the next of the one-time keys the custodian registered.
#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold_internal.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {
namespace {

absl::Status UseOne(const v1::Event& e, int lot, const std::string& fp, const std::string& key,
                    KeyRegistry* keys) {
  auto it = keys->find(fp);
  if (it == keys->end())
    return Corrupt(e, absl::StrCat("lot ", lot, ": custodian ", fp, " registered no lot keys"));
  v1::RegisteredKey& entry = it->second;
  const uint32_t next = entry.lot_keys_used();
  if (next >= static_cast<uint32_t>(entry.lot_keys_size()) || entry.lot_keys(next) != key)
    return Corrupt(e, absl::StrCat("lot ", lot, ": ", crypto::Hex(key).substr(0, 16),
                                   "... is not custodian ", fp, "'s next unused lot key"));
  entry.set_lot_keys_used(next + 1);
  return absl::OkStatus();
}

}  // namespace

absl::Status UseLotKeys(const v1::Event& e, KeyRegistry* keys, Changes* changes) {
  const v1::TenderCreated& c = e.tender_created();
  for (int l = 0; l < c.lots_size(); ++l) {
    const v1::LotSpec& spec = c.lots(l);
    if (spec.custodian_keys_size() == 0) continue;  // BIDDER, or a tender from before per-lot keys
    if (spec.custodian_keys_size() != spec.custodians_size())
      return Corrupt(
          e, absl::StrCat("lot ", l + 1, ": ", spec.custodian_keys_size(), " custodian keys for ",
                          spec.custodians_size(), " custodians"));
    for (int i = 0; i < spec.custodians_size(); ++i) {
      BO_RETURN_IF_ERROR(UseOne(e, l + 1, spec.custodians(i), spec.custodian_keys(i), keys));
      changes->keys.push_back(spec.custodians(i));
    }
  }
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
