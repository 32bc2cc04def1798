#include "client/profile.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "platform/files.h"

namespace bidopen::client {
namespace fs = std::filesystem;

std::string ConfigDir() {
  if (const char* d = std::getenv("BIDOPEN_CONFIG_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return absl::StrCat(x, "/bidopen");
  const char* home = std::getenv("HOME");
  return absl::StrCat(home ? home : ".", "/.config/bidopen");
}

std::string ProfilePath() { return ConfigDir() + "/profiles.toml"; }

absl::StatusOr<ProfileFile> LoadProfiles() {
  ProfileFile out;
  if (!fs::exists(ProfilePath())) return out;
  toml::table t;
  try {
    t = toml::parse_file(ProfilePath());
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(ProfilePath(), ": ", std::string(e.description())));
  }
  out.default_name = t["default"].value_or(std::string());
  if (const toml::table* ps = t["profiles"].as_table()) {
    for (const auto& [name, node] : *ps) {
      const toml::table* p = node.as_table();
      if (!p) continue;
      out.profiles[std::string(name.str())] =
          Profile{(*p)["server"].value_or(std::string()), (*p)["ca"].value_or(std::string()),
                  (*p)["cert"].value_or(std::string()), (*p)["key"].value_or(std::string())};
    }
  }
  return out;
}

absl::Status SaveProfiles(const ProfileFile& file) {
  toml::table profiles;
  for (const auto& [name, p] : file.profiles)
    profiles.insert(
        name, toml::table{{"server", p.server}, {"ca", p.ca}, {"cert", p.cert}, {"key", p.key}});
  toml::table root{{"default", file.default_name}, {"profiles", profiles}};
  std::ostringstream text;
  text << "# bidctl profiles: bidctl profile save NAME --server ... --cert ...\n" << root << "\n";
  return WriteFileAtomically(ProfilePath(), text.str());
}

absl::StatusOr<Profile> ResolveProfile(const Profile& flags, const std::string& name) {
  auto file = LoadProfiles();
  if (!file.ok()) return file.status();
  std::string chosen = name.empty() ? file->default_name : name;
  Profile p;
  if (!chosen.empty()) {
    auto it = file->profiles.find(chosen);
    if (it == file->profiles.end())
      return absl::NotFoundError(absl::StrCat("profile \"", chosen, "\" not found in ",
                                              ProfilePath(), "; see `bidctl profile list`"));
    p = it->second;
  }
  if (!flags.server.empty()) p.server = flags.server;
  if (!flags.ca.empty()) p.ca = flags.ca;
  if (!flags.cert.empty()) p.cert = flags.cert;
  if (!flags.key.empty()) p.key = flags.key;
  for (auto [value, flag] :
       {std::pair{&p.server, "--server"}, {&p.ca, "--ca"}, {&p.cert, "--cert"}, {&p.key, "--key"}})
    if (value->empty())
      return absl::FailedPreconditionError(
          absl::StrCat("no ", flag,
                       " given and no profile sets it; pass it, or save a profile with "
                       "`bidctl profile save NAME --server ... --ca ... --cert ... --key ...`"));
  return p;
}

}  // namespace bidopen::client
