// What one client may hold of bidopend's connections, threads and uploads
// (issue 10, item 3): the flags, their defaults and where each is enforced.
// docs/operations.md "Limits per client" explains them to an operator.
#ifndef BIDOPEN_SERVER_STREAM_LIMITS_H_
#define BIDOPEN_SERVER_STREAM_LIMITS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace CLI {
class App;
}  // namespace CLI

namespace bidopen {

struct StreamLimits {
  // HTTP/2 streams one connection may have open (GRPC_ARG_MAX_CONCURRENT_STREAMS).
  int max_streams_per_connection = 32;
  // Threads of the gRPC server's pool (ResourceQuota::SetMaxThreads); a call
  // that finds none answered RESOURCE_EXHAUSTED "Server Threadpool Exhausted".
  int max_threads = 256;
  // Upload streams one certificate may have in progress (rpc/upload_streams.h).
  int max_uploads_per_identity = 4;
  // An Upload stream that delivers no message for this long is cancelled.
  absl::Duration upload_idle_timeout = absl::Seconds(60);
  // Declared bytes of one bidder's unfinished uploads, all lots together.
  uint64_t partial_upload_quota = uint64_t{8} << 30;
  // The server pings a connection silent this long, and closes it when the
  // ping is not answered within the timeout (GRPC_ARG_KEEPALIVE_*).
  absl::Duration keepalive_time = absl::Minutes(2);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // A connection with no call for this long is closed (GOAWAY).
  absl::Duration max_connection_idle = absl::Minutes(5);
  // Pings from a client closer together than this are strikes; after
  // max_ping_strikes of them the connection is closed (too_many_pings).
  absl::Duration min_client_ping_interval = absl::Seconds(10);
  int max_ping_strikes = 2;
};

// Adds the flags of `limits` to bidopend's command line (durations in
// seconds). REQUIRES: `limits` outlives the parse.
void AddStreamLimitFlags(CLI::App& app, StreamLimits& limits);
// Why the limits cannot work together (e.g. a quota below --max-bid-size), or OK.
std::string StreamLimitsProblem(const StreamLimits& limits, uint64_t max_bid_size);

}  // namespace bidopen

#endif  // BIDOPEN_SERVER_STREAM_LIMITS_H_
