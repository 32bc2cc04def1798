#include "client/trusted_ca.h"

#include <cstdlib>

#include "platform/files.h"

namespace bidopen::client {

std::string TrustedCaPath(const Globals& g) {
  if (!g.flags.ca.empty()) return g.flags.ca;
  std::string name = g.profile;
  if (const char* env = std::getenv("BIDOPEN_PROFILE"); name.empty() && env) name = env;
  auto file = LoadProfiles();
  if (!file.ok()) return "";
  const std::string chosen = name.empty() ? file->default_name : name;
  auto it = file->profiles.find(chosen);
  return it == file->profiles.end() ? "" : it->second.ca;
}

absl::StatusOr<std::string> ReadTrustedCa(const Globals& g) {
  const std::string path = TrustedCaPath(g);
  if (path.empty())
    return absl::FailedPreconditionError(
        "no --ca given and no profile sets it: name the platform CA certificate you trust");
  return ReadFileBytes(path, "--ca");
}

}  // namespace bidopen::client
