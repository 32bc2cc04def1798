// Sealing a whole bid in one call: check the form values, hash the documents,
// draw the keys, write header and payload. Documents are streamed from disk
// twice (hash, then seal); memory stays at about two chunks.
#ifndef BIDOPEN_CORE_SEAL_SEAL_BID_H_
#define BIDOPEN_CORE_SEAL_SEAL_BID_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/seal/form_values.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/manifest.h"

namespace bidopen::seal {

struct SealParams {
  std::string tender_id;
  v1::Lot lot;  // number and spec: form, policy, custodians, threshold
  SealRecipientKeys keys;
  FormInput form;
  std::vector<DocumentSource> documents;
  uint32_t chunk_size = kDefaultChunkSize;
  // Also hash the sealed file (SealResult::ciphertext_sha256): a third
  // SHA-256 pass; `bid submit` hashes the file anyway.
  bool hash_ciphertext = true;
  RandomFn random;  // empty: crypto::RandomBytes; order of draws in key_plan.h,
                    // then the 7-byte nonce prefix
};

struct SealResult {
  v1::SealedHeader header;
  v1::BidManifest manifest;
  std::string manifest_sha256;    // raw 32 bytes
  std::string header_hash;        // raw 32 bytes: SHA-256 of the header bytes
  std::string ciphertext_sha256;  // raw 32 bytes: SHA-256 of the whole file (if asked)
  uint64_t ciphertext_size = 0;   // bytes of the whole file
};

// Writes the sealed bid to `out`. INVALID_ARGUMENT naming the field for bad
// parameters or form values; FAILED_PRECONDITION if a custodian of the lot has
// no key or a document changed between hashing and sealing (then `out` holds
// an unusable partial file). REQUIRES: `lot.spec` passed ValidateLot.
absl::StatusOr<SealResult> SealBid(const SealParams& params, std::ostream& out);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_SEAL_BID_H_
