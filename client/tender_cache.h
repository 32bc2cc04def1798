// A tender and the registered X25519 keys a bid for it is sealed to, kept
// under ConfigDir()/tenders/<tender id>.json so that `bid seal` works offline
// once the tender was fetched. The file is JSON: {"tender": <Tender as
// protobuf JSON>, "keys": {<fingerprint>: <base64 X25519 public key>},
// "fetched_at": <RFC 3339>}.
#ifndef BIDOPEN_CLIENT_TENDER_CACHE_H_
#define BIDOPEN_CLIENT_TENDER_CACHE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/tender.pb.h"
#include "client/command.h"

namespace bidopen::client {

struct CachedTender {
  v1::Tender tender;
  std::map<std::string, std::string> keys;  // fingerprint -> raw 32-byte X25519 public key
  absl::Time fetched_at;
  bool from_cache = false;  // read from disk rather than from the server just now
};

// INVALID_ARGUMENT unless `id` is usable as a file name ([A-Za-z0-9_-], not empty).
absl::StatusOr<std::string> TenderCachePath(const std::string& id);

// Asks the server for the registered keys of `self` (empty: nobody) and of the
// custodians of `tender`'s lots, then stores tender and keys in the cache.
absl::StatusOr<CachedTender> CacheTender(const Session& s, const v1::Tender& tender,
                                         const std::string& self);

// GetTender, then CacheTender.
absl::StatusOr<CachedTender> FetchTender(const Session& s, const std::string& id,
                                         const std::string& self);

absl::Status SaveTenderCache(const CachedTender& cached);

// FAILED_PRECONDITION "tender T was never fetched; ..." if there is no cache
// file; DATA_LOSS naming the file if it is damaged.
absl::StatusOr<CachedTender> LoadTenderCache(const std::string& id);

// From the server (refreshing the cache) unless `offline`; from the cache if
// `offline` or the server is unreachable (UNAVAILABLE).
absl::StatusOr<CachedTender> TenderForSealing(const Globals& g, const std::string& id,
                                              const std::string& self, bool offline);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_TENDER_CACHE_H_
