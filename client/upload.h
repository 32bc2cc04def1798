// The resumable upload of one sealed file (docs/protocol.md "Submitting a
// bid"): ask the server for the durable offset, stream `start`, the chunks
// from there and `commit`; on a transport failure back off, ask again and
// continue from the new durable offset.
#ifndef BIDOPEN_CLIENT_UPLOAD_H_
#define BIDOPEN_CLIENT_UPLOAD_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/bid.pb.h"
#include "client/command.h"
#include "client/progress.h"

namespace bidopen::client {

struct UploadPlan {
  std::string path;
  v1::UploadStart start;
  v1::UploadCommit commit;
  size_t chunk = 256 * 1024;
  int retries = 12;     // failed attempts in a row (without progress) before giving up
  bool resume = false;  // only continue an upload the server already has
  absl::Duration first_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(8);
  absl::Duration stall = absl::Seconds(60);  // no byte accepted this long: retry
};

// Whether a failed attempt is worth retrying from the durable offset.
bool Retryable(const absl::Status& st);

// Uploads and commits the file; returns the server's receipt. The first
// contact is not retried (a wrong address or CA fails at once) unless the
// server answered RESOURCE_EXHAUSTED (busy: reached, so worth waiting for). With
// `resume`, NOT_FOUND if the server has no upload of this file in progress.
// ALREADY_EXISTS (from the server) if the file already is the live bid.
absl::StatusOr<v1::Receipt> UploadSealedFile(const Session& s, const UploadPlan& plan,
                                             Progress& progress);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_UPLOAD_H_
