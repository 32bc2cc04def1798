// What `bid seal` keeps so that the bidder can later prove its file opens and
// that it is the file it sealed:
//   FILE.seal           beside the sealed file: its size, bid id and header
//                       hash (JSON; nothing secret). No hash of the file: that
//                       would be a third pass over every byte at sealing; the
//                       kept secret proves more (every chunk authenticates).
//   keys/bids/ID.json   in the bidder's key store (mode 0600): the bid secret s
//                       and the ephemeral private keys of its records. Never sent.
#ifndef BIDOPEN_CLIENT_SEAL_RECORD_H_
#define BIDOPEN_CLIENT_SEAL_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/sealed_file.h"
#include "core/seal/seal_bid.h"

namespace bidopen::client {

std::string SealRecordPath(const std::string& sealed_path);

// Writes FILE.seal and the key-store entry for a bid just sealed to `path`.
absl::Status KeepSealRecord(const std::string& path, const seal::SealResult& result);

// FAILED_PRECONDITION unless `f` has the size, bid id and header hash `bid
// seal` recorded for it and every chunk opens with the secret kept for it
// (AES-256-GCM of every byte: a changed, cut, extended or reordered file is
// named by what differs or the chunk that fails), saying to seal again; also
// if there is no record or no kept secret on this machine. A record written
// with the file's SHA-256 (bidctl before 2026-12-01) has that compared too.
absl::Status CheckAgainstSealRecord(const SealedFile& f);

// The key material kept at sealing for the bid with this (raw) id.
struct KeptBidKeys {
  std::string secret;
  std::vector<std::string> ephemeral_keys;
};
absl::StatusOr<KeptBidKeys> LoadKeptBidKeys(absl::string_view bid_id);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_SEAL_RECORD_H_
