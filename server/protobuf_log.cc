#include "server/protobuf_log.h"

#include <google/protobuf/stubs/logging.h>

#include <iostream>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace bidopen {
namespace {

constexpr int kLinesPerWindow = 10;
constexpr absl::Duration kWindow = absl::Minutes(1);

absl::Mutex mu;
absl::Time window_start ABSL_GUARDED_BY(mu) = absl::InfinitePast();
int lines ABSL_GUARDED_BY(mu) = 0;
long dropped ABSL_GUARDED_BY(mu) = 0;

void Bounded(google::protobuf::LogLevel level, const char* file, int line,
             const std::string& message) {
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu);
  if (now - window_start >= kWindow) {
    if (dropped > 0)
      std::cerr << "bidopend: " << dropped << " more protobuf log line(s) were not shown\n";
    window_start = now;
    lines = 0;
    dropped = 0;
  }
  if (level != google::protobuf::LOGLEVEL_FATAL && ++lines > kLinesPerWindow) {
    ++dropped;
    return;
  }
  std::cerr << "[libprotobuf " << file << ":" << line << "] " << message << "\n";
}

}  // namespace

void BoundProtobufLogging() { google::protobuf::SetLogHandler(&Bounded); }

}  // namespace bidopen
