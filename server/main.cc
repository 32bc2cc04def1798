// bidopend: serves until SIGINT or SIGTERM.
#include <signal.h>

#include <fstream>
#include <iostream>

#include "platform/system_clock.h"
#include "server/config.h"
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

}  // namespace

int main(int argc, char** argv) {
  bidopen::ServerConfig config = bidopen::ParseServerConfig(argc, argv);
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
