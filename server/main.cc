// bidopend: serves until SIGINT or SIGTERM.
#include <signal.h>

#include <fstream>
#include <iostream>

#include "platform/system_clock.h"
#include "server/config.h"
#include "server/protobuf_log.h"
#include "server/server.h"

namespace {

sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any thread starts
  return set;
}

void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  std::ofstream(path + ".tmp") << port << "\n";
  std::rename((path + ".tmp").c_str(), path.c_str());
}

// --migrate-only: as the owner role, before bidopend serves as the application role.
int MigrateOnly(const bidopen::ServerConfig& config) {
  auto applied = bidopen::Server::Migrate(config);
  if (!applied.ok()) {
    std::cerr << "bidopend: migrating: " << applied.status().message() << "\n";
    return 1;
  }
  std::clog << "bidopend: applied " << *applied << " migration(s); the schema is up to date\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bidopen::ServerConfig config = bidopen::ParseServerConfig(argc, argv);
  if (config.migrate_only) return MigrateOnly(config);
  bidopen::BoundProtobufLogging();
  sigset_t stop = BlockStopSignals();
  bidopen::SystemClock clock;
  auto server = bidopen::Server::Start(config, clock);
  if (!server.ok()) {
    std::cerr << "bidopend: " << server.status().message() << "\n";
    return 1;
  }
  std::clog << "bidopend: serving on port " << (*server)->port() << " (mutual TLS, clients of "
            << config.tls.client_ca << ")\n";
  WritePortFile(config.port_file, (*server)->port());
  int sig = 0;
  sigwait(&stop, &sig);
  std::clog << "bidopend: signal " << sig << ", shutting down\n";
  (*server)->Shutdown();
  return 0;
}
