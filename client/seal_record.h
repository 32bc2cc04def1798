// What `bid seal` keeps so that the bidder can later prove its file opens and
// that it is the file it sealed:
//   FILE.seal           beside the sealed file: its size and SHA-256, bid id and
//                       header hash (JSON; nothing secret)
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

// FAILED_PRECONDITION unless `f` has the size and SHA-256 `bid seal` recorded
// for it, saying what changed and to seal again; also if there is no record.
absl::Status CheckAgainstSealRecord(const SealedFile& f);

// The key material kept at sealing for the bid with this (raw) id.
struct KeptBidKeys {
  std::string secret;
  std::vector<std::string> ephemeral_keys;
};
absl::StatusOr<KeptBidKeys> LoadKeptBidKeys(absl::string_view bid_id);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_SEAL_RECORD_H_
