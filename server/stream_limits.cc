#include "server/stream_limits.h"

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"

namespace bidopen {
namespace {

void AddSeconds(CLI::App& app, const std::string& name, absl::Duration& value,
                const std::string& help, double low, double high) {
  app.add_option_function<double>(
         name, [&value](double s) { value = absl::Seconds(s); }, help)
      ->check(CLI::Range(low, high))
      ->default_str(absl::StrCat(absl::ToDoubleSeconds(value)));
}

void AddConnectionFlags(CLI::App& app, StreamLimits& l) {
  app.add_option("--max-streams-per-connection", l.max_streams_per_connection,
                 "Calls one connection may have in progress at once (HTTP/2 "
                 "MAX_CONCURRENT_STREAMS); more wait in the client")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--max-threads", l.max_threads,
                 "Threads of the gRPC server; a call that finds none is answered "
                 "RESOURCE_EXHAUSTED \"Server Threadpool Exhausted\"")
      ->check(CLI::Range(4, 10000))
      ->capture_default_str();
  AddSeconds(app, "--keepalive-time", l.keepalive_time,
             "Seconds of silence on a connection before the server pings it", 1, 24 * 3600);
  AddSeconds(app, "--keepalive-timeout", l.keepalive_timeout,
             "Seconds the client has to answer a keepalive ping before the connection is closed", 1,
             3600);
  AddSeconds(app, "--max-connection-idle", l.max_connection_idle,
             "Seconds a connection with no call in progress stays open", 1, 24 * 3600);
  AddSeconds(app, "--min-client-ping-interval", l.min_client_ping_interval,
             "Client pings closer together than this many seconds are strikes", 1, 3600);
  app.add_option("--max-ping-strikes", l.max_ping_strikes,
                 "Strikes before a connection is closed with GOAWAY too_many_pings (0: no limit)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

void AddUploadFlags(CLI::App& app, StreamLimits& l) {
  app.add_option("--max-uploads-per-identity", l.max_uploads_per_identity,
                 "Upload streams one client certificate may have in progress at once")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  AddSeconds(app, "--upload-idle-timeout", l.upload_idle_timeout,
             "Seconds an Upload stream may deliver no message before it is cancelled (its bytes "
             "stay; the upload resumes)",
             0.1, 24 * 3600);
  app.add_option("--partial-upload-quota", l.partial_upload_quota,
                 "Bytes (declared sizes) one bidder's unfinished uploads may hold, all lots "
                 "together; at least --max-bid-size")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 50))
      ->capture_default_str();
}

}  // namespace

void AddStreamLimitFlags(CLI::App& app, StreamLimits& limits) {
  AddConnectionFlags(app, limits);
  AddUploadFlags(app, limits);
}

std::string StreamLimitsProblem(const StreamLimits& limits, uint64_t max_bid_size) {
  if (limits.partial_upload_quota < max_bid_size)
    return absl::StrCat("--partial-upload-quota ", limits.partial_upload_quota,
                        " is less than --max-bid-size ", max_bid_size,
                        ": the largest bid could never be uploaded");
  return "";
}

}  // namespace bidopen
