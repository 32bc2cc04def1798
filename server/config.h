// bidopend's configuration: command-line flags, optionally from a config file.
#ifndef BIDOPEN_SERVER_CONFIG_H_
#define BIDOPEN_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "core/event_clock.h"
#include "core/opening/limits.h"
#include "server/auth/call_limits.h"
#include "server/auth/tls.h"
#include "server/stream_limits.h"

namespace bidopen {

struct ServerConfig {
  std::string listen = "127.0.0.1:7443";
  auth::TlsFiles tls;
  std::string log_key;                 // the audit log's signing key (PEM)
  std::string log_cert;                // its certificate, issued by the platform CA
  std::string log_origin = "bidopen";  // first line of every checkpoint
  // The at-rest key: 64 hex digits in a file outside the database; released
  // keys and opened bids are stored only sealed under it.
  std::string release_key;
  absl::Duration head_interval = absl::Seconds(2);
  std::string database;  // libpq conninfo
  int pool_size = 8;
  int stream_window = 1 << 20;                        // bytes a client may send ahead on one stream
  uint64_t max_bid_size = uint64_t{4} << 30;          // bytes of one sealed file
  absl::Duration min_lead = limits::kDefaultMinLead;  // from setting a deadline to reaching it
  // How far the wall clock may be stepped against the monotonic clock, or
  // fall behind the log's last event, before writes are refused.
  absl::Duration max_clock_step = EventClock::kDefaultMaxStep;
  std::string port_file;  // written with the bound port once serving
  size_t response_bytes = limits::kDefaultResponseBytes;  // of one list or event page
  auth::CallLimitRules call_limits;                       // per identity, on appending calls
  bool migrate_only = false;  // apply migrations as --database (the owner role) and exit
  StreamLimits streams;       // per connection, identity and upload
};

// Parses flags (and `--config FILE`, key = value lines). Exits the process
// for --help or a usage error, as command-line programs do.
ServerConfig ParseServerConfig(int argc, char** argv);

}  // namespace bidopen

#endif  // BIDOPEN_SERVER_CONFIG_H_
