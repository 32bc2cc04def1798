// Releases and opened bids (migration 0010): primary data next to the log,
// stored sealed at rest (server/opening/at_rest.h); the log holds only their
// hashes and outcomes.
#ifndef BIDOPEN_SERVER_STORE_RELEASE_ROWS_H_
#define BIDOPEN_SERVER_STORE_RELEASE_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/pg.h"

namespace bidopen::store {

struct ReleaseRow {
  uint64_t seq = 0;  // its KeyReleased event
  std::string tender_id;
  int lot = 0;
  int kind = 0;  // v1::ReleaseKind
  uint64_t bid = 0;
  uint32_t share_x = 0;
  std::string releaser;
  bool accepted = false;
  std::string sealed;
};

// Stores `row` next to any row already at its seq (migration 0011: not
// unique) and returns how many there were: for a KeyReleased being appended
// in this very transaction anything > 0 is tampering (the caller alarms).
absl::StatusOr<int> InsertRelease(Conn& conn, const ReleaseRow& row);
// The sealed copies stored at `seq` (normally one; none if it was lost).
absl::StatusOr<std::vector<std::string>> SealedReleasesAt(Conn& conn, uint64_t seq);
// Every release row of the lot, in log order (a seq may have several).
absl::StatusOr<std::vector<ReleaseRow>> LotReleases(Conn& conn, const std::string& tender_id,
                                                    int lot);

absl::Status InsertOpened(Conn& conn, uint64_t seq, const std::string& tender_id, int lot,
                          const std::string& sealed);
// The sealed row of an opened bid; nullopt if the server has not opened it.
absl::StatusOr<std::optional<std::string>> ReadOpened(Conn& conn, uint64_t seq);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_RELEASE_ROWS_H_
