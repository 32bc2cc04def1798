// A sealed bid file as the bidder's client describes it before uploading or
// withdrawing it: its header and the hashes a BidStatement names, computed
// by streaming the file (a bid of any size is read in small pieces).
#ifndef BIDOPEN_CLIENT_SEALED_FILE_H_
#define BIDOPEN_CLIENT_SEALED_FILE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/bid.pb.h"
#include "bidopen/v1/seal.pb.h"
#include "client/profile.h"

namespace bidopen::client {

struct SealedFile {
  std::string path;
  v1::SealedHeader header;
  std::string header_sha256;      // raw 32 bytes
  std::string ciphertext_sha256;  // raw 32 bytes, of the whole file
  uint64_t size = 0;
};

// NOT_FOUND if `path` cannot be read, INVALID_ARGUMENT if it is not a sealed bid.
absl::StatusOr<SealedFile> InspectSealedFile(const std::string& path);

// FAILED_PRECONDITION unless the file was sealed by the bidder `fingerprint`.
absl::Status CheckSealedBy(const SealedFile& f, const std::string& fingerprint);

// The statement naming the file, for `purpose` (core/bid/statement.h).
// A fresh statement (new client nonce) about the file, acting on `bid_seq`:
// the live bid a submission replaces or a withdrawal withdraws (none: nullopt).
v1::BidStatement StatementFor(const SealedFile& f, absl::string_view purpose,
                              std::optional<uint64_t> bid_seq);

// A statement as signed: its deterministic bytes and the signature of the
// profile's private key over them.
struct SignedStatement {
  std::string bytes;
  std::string signature;
};
absl::StatusOr<SignedStatement> SignStatement(const Profile& p, const v1::BidStatement& s);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_SEALED_FILE_H_
