#include "core/seal/context.h"

#include "core/crypto/kdf.h"
#include "core/crypto/sha256.h"
#include "core/seal/format.h"

namespace bidopen::seal {

std::string ContextHash(const v1::SealedHeader& h) {
  std::string in;
  AppendLp(&in, kContextLabel);
  AppendLp(&in, h.suite());
  AppendLp(&in, h.bid_id());
  AppendLp(&in, h.tender_id());
  AppendLp(&in, U32Bytes(static_cast<uint32_t>(h.lot())));
  AppendLp(&in, h.bidder());
  AppendLp(&in, U32Bytes(static_cast<uint32_t>(h.policy())));
  AppendLp(&in, U32Bytes(static_cast<uint32_t>(h.threshold())));
  AppendLp(&in, U32Bytes(h.chunk_size()));
  AppendLp(&in, U32Bytes(h.values_size()));
  AppendLp(&in, U64Bytes(h.plaintext_size()));
  for (const v1::Recipient& r : h.recipients()) {
    AppendLp(&in, U32Bytes(static_cast<uint32_t>(r.kind())));
    AppendLp(&in, U32Bytes(r.share_x()));
    AppendLp(&in, r.fingerprint());
    AppendLp(&in, r.public_key());
  }
  return crypto::Sha256(in);
}

std::string UnwrappedHeaderHash(const v1::SealedHeader& header) {
  v1::SealedHeader h = header;
  for (v1::Recipient& r : *h.mutable_recipients()) r.clear_wrapped();
  return LabelledHash(kUnwrappedLabel, {EncodeDeterministic(h)});
}

std::string HeaderHash(absl::string_view header_bytes) {
  return LabelledHash(kHeaderLabel, {header_bytes});
}

std::string SecretCommitment(absl::string_view label, absl::string_view ctx_hash,
                             absl::string_view secret) {
  return LabelledHash(label, {ctx_hash, secret});
}

std::string ShareCommitment(absl::string_view ctx_hash, uint32_t x, absl::string_view y) {
  return LabelledHash(kShareLabel, {ctx_hash, U32Bytes(x), y});
}

absl::StatusOr<crypto::Secret> DeriveKey(absl::string_view secret, absl::string_view label,
                                         absl::string_view ctx_hash) {
  std::string info;
  AppendLp(&info, label);
  AppendLp(&info, ctx_hash);
  auto key = crypto::HkdfSha256(secret, "", info, kSecretSize);
  if (!key.ok()) return key.status();
  return crypto::Secret(*std::move(key));
}

std::string ValuesCommitment(absl::string_view ctx_hash, absl::string_view values_key,
                             absl::string_view encoding) {
  return LabelledHash(kValuesLabel, {ctx_hash, values_key, encoding});
}

}  // namespace bidopen::seal
