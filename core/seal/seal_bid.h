// Sealing a whole bid in one call and one pass (format v2): check the form
// values, open the documents (their sizes), draw the secrets, write the header,
// then stream each document once — read and hashed by the Env, on a second
// thread with platform's, while this one encrypts — and end with the hashes. Memory stays at about
// two chunks and two read pieces.
#ifndef BIDOPEN_CORE_SEAL_SEAL_BID_H_
#define BIDOPEN_CORE_SEAL_SEAL_BID_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/crypto/secret.h"
#include "core/seal/env.h"
#include "core/seal/form_values.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"

namespace bidopen::seal {

// A document to seal: its name in the bid (empty: the base name of `path`) and
// where SealParams::env finds it. It is read once, in pieces.
struct DocumentSource {
  std::string name;
  std::string path;
};

struct SealParams {
  std::string tender_id;
  v1::Lot lot;  // number and spec: form, policy, custodians, threshold
  SealRecipientKeys keys;
  FormInput form;
  std::vector<DocumentSource> documents;
  uint32_t chunk_size = kDefaultChunkSize;
  // Also hash the sealed file (SealResult::ciphertext_sha256); `bid submit`
  // hashes the file anyway.
  bool hash_ciphertext = true;
  RandomSource* random = nullptr;  // null: OsRandom(); order of draws in key_plan.h
  // Reads the documents and may hash the file on another thread
  // (platform::DefaultFileEnv()). Needed when there are documents; null hashes inline.
  Env* env = nullptr;
};

struct SealResult {
  v1::SealedHeader header;
  v1::BidManifest manifest;                    // the values and documents (with SHA-256) sealed
  std::string header_hash;                     // raw 32 bytes: HeaderHash of the header bytes
  std::string ciphertext_sha256;               // raw 32 bytes: SHA-256 of the whole file (if asked)
  uint64_t ciphertext_size = 0;                // bytes of the whole file
  crypto::Secret secret;                       // s: lets the bidder check its own file (never sent)
  std::vector<crypto::Secret> ephemeral_keys;  // per recipient: for CheckAsSealer
};

// Writes the sealed bid to `out`. INVALID_ARGUMENT naming the field for bad
// parameters, form values or document names; FAILED_PRECONDITION if a
// custodian of the lot has no key or a document changed while it was sealed
// (then `out` holds an unusable partial file). REQUIRES: `lot.spec` passed
// ValidateLot.
absl::StatusOr<SealResult> SealBid(const SealParams& params, std::ostream& out);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_SEAL_BID_H_
