// Where bidctl connects and as whom: flags, else a saved profile in
// $BIDOPEN_CONFIG_DIR or ~/.config/bidopen/profiles.toml.
#ifndef BIDOPEN_CLIENT_PROFILE_H_
#define BIDOPEN_CLIENT_PROFILE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace bidopen::client {

struct Profile {
  std::string server;  // host:port
  std::string ca;      // CA certificate that issued the server's certificate
  std::string cert;    // this user's client certificate
  std::string key;     // and its private key
};

struct ProfileFile {
  std::string default_name;
  std::map<std::string, Profile> profiles;
};

std::string ConfigDir();
std::string ProfilePath();

absl::StatusOr<ProfileFile> LoadProfiles();
absl::Status SaveProfiles(const ProfileFile& file);

// Fills what `flags` leaves empty from the named profile (or the default
// one); FAILED_PRECONDITION naming what is still missing.
absl::StatusOr<Profile> ResolveProfile(const Profile& flags, const std::string& name);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_PROFILE_H_
