// What binds every part of a v2 sealed bid to that bid: the context hash of
// its header, the hash of the header without its wrapped secrets, the labelled
// commitments and the keys derived from the bid secret s
// (docs/sealed-bid-format.md §4).
#ifndef BIDOPEN_CORE_SEAL_CONTEXT_H_
#define BIDOPEN_CORE_SEAL_CONTEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"

namespace bidopen::seal {

// SHA-256(LP("bidopen/v2/context") || LP(suite) || LP(bid_id) || LP(tender) ||
// LP(lot u32) || LP(bidder) || LP(policy u32) || LP(threshold u32) ||
// LP(chunk_size u32) || LP(values_size u32) || LP(plaintext_size u64) || per
// recipient: LP(kind u32) LP(share_x u32) LP(fingerprint) LP(public_key)).
std::string ContextHash(const v1::SealedHeader& header);

// SHA-256(LP("bidopen/v2/header-unwrapped") || LP(header bytes with every
// recipient's `wrapped` emptied)): what a wrapped secret binds of the rest.
std::string UnwrappedHeaderHash(const v1::SealedHeader& header);

// SHA-256(LP("bidopen/v2/header") || LP(header bytes)): the associated data of
// every payload chunk, and what a submission statement signs.
std::string HeaderHash(absl::string_view header_bytes);

// H(LP(label) || LP(ctx_hash) || LP(secret)) for the secret s, s_b or s_q.
std::string SecretCommitment(absl::string_view label, absl::string_view ctx_hash,
                             absl::string_view secret);
// H(LP("bidopen/v2/share") || LP(ctx_hash) || LP(x u32) || LP(y)).
std::string ShareCommitment(absl::string_view ctx_hash, uint32_t x, absl::string_view y);

// HKDF-SHA-256(ikm = s, no salt, info = LP(label) || LP(ctx_hash), 32 bytes).
absl::StatusOr<crypto::Secret> DeriveKey(absl::string_view secret, absl::string_view label,
                                         absl::string_view ctx_hash);

// The canonical values encoding (values_section.h) committed with r_v:
// H(LP("bidopen/v2/values") || LP(ctx_hash) || LP(r_v) || LP(encoding)).
std::string ValuesCommitment(absl::string_view ctx_hash, absl::string_view values_key,
                             absl::string_view encoding);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_CONTEXT_H_
