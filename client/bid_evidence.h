// What `bidctl audit check-bid` re-runs a verdict from: GetBidEvidence saved
// to a directory — the sealed file exactly as the server stores it
// (bid-<seq>.sealed, its SHA-256 computed while it is written) and every
// release that concerns the bid (bid-<seq>.releases.json, mode 0600: released
// keys are kept out of the public log).
#ifndef BIDOPEN_CLIENT_BID_EVIDENCE_H_
#define BIDOPEN_CLIENT_BID_EVIDENCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/command.h"
#include "client/opening_view.h"

namespace bidopen::client {

struct SavedEvidence {
  v1::EvidenceHead head;
  std::string file;         // the sealed file
  std::string file_sha256;  // raw, of what was written
  std::string releases_file;
};

// Downloads the evidence of bid `bid` into `dir` (created if missing).
// DATA_LOSS if the pieces do not follow each other or the file's length is not
// the head's size.
absl::StatusOr<SavedEvidence> SaveBidEvidence(const Session& s, const LotName& lot, uint64_t bid,
                                              const std::string& dir);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_BID_EVIDENCE_H_
