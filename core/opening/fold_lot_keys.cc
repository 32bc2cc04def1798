// Per-lot custodian keys: a tender's creation uses, for each custodian of each
// lot, the next of the one-time keys the custodian registered.
#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/opening/fold_internal.h"
#include "core/opening/key_rules.h"
#include "core/status_macros.h"

namespace bidopen::fold_internal {
namespace {

// The signature and certificate a lot carries for its i-th key must be the
// ones the custodian registered it with (tenders from before: none).
absl::Status SameSignature(const v1::Event& e, int lot, const v1::LotSpec& spec, int i,
                           const v1::RegisteredKey& entry, uint32_t n) {
  if (spec.custodian_key_signatures_size() == 0 && spec.custodian_certificates_size() == 0)
    return absl::OkStatus();
  const std::string registered =
      LotKeySigned(entry, n) ? entry.lot_key_signatures(static_cast<int>(n)) : "";
  if (spec.custodian_key_signatures_size() != spec.custodians_size() ||
      spec.custodian_certificates_size() != spec.custodians_size() ||
      spec.custodian_key_signatures(i) != registered ||
      spec.custodian_certificates(i) != entry.certificate_pem())
    return Corrupt(e, absl::StrCat("lot ", lot, ": custodian ", spec.custodians(i),
                                   "'s key signature or certificate is not the registered one"));
  return absl::OkStatus();
}

// The index of `key` if it is the custodian's next unused key, skipping
// unsigned keys (from before signatures) that are not it: tender creation
// skips them since bidders refuse them. Else the next unused index.
uint32_t NextUsable(const v1::RegisteredKey& entry, const std::string& key) {
  uint32_t n = entry.lot_keys_used();
  const auto size = static_cast<uint32_t>(entry.lot_keys_size());
  while (n < size && entry.lot_keys(static_cast<int>(n)) != key && !LotKeySigned(entry, n)) ++n;
  return n < size && entry.lot_keys(static_cast<int>(n)) == key ? n : entry.lot_keys_used();
}

absl::Status UseOne(const v1::Event& e, int lot, const v1::LotSpec& spec, int i,
                    KeyRegistry* keys) {
  const std::string& fp = spec.custodians(i);
  const std::string& key = spec.custodian_keys(i);
  auto it = keys->find(fp);
  if (it == keys->end())
    return Corrupt(e, absl::StrCat("lot ", lot, ": custodian ", fp, " registered no lot keys"));
  v1::RegisteredKey& entry = it->second;
  const uint32_t next = NextUsable(entry, key);
  if (next >= static_cast<uint32_t>(entry.lot_keys_size()) || entry.lot_keys(next) != key)
    return Corrupt(e, absl::StrCat("lot ", lot, ": ", crypto::Hex(key).substr(0, 16),
                                   "... is not custodian ", fp, "'s next unused lot key"));
  BO_RETURN_IF_ERROR(SameSignature(e, lot, spec, i, entry, next));
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
      BO_RETURN_IF_ERROR(UseOne(e, l + 1, spec, i, keys));
      changes->keys.push_back(spec.custodians(i));
    }
  }
  return absl::OkStatus();
}

}  // namespace bidopen::fold_internal
