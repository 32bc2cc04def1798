// bidctl profile save|list|use
#include <iostream>

#include "client/command.h"

namespace bidopen::client {
namespace {

std::string Absolute(const std::string& path) {
  return path.empty() ? path : std::filesystem::absolute(path).string();
}

absl::Status Save(const Globals& g, const std::string& name, bool make_default) {
  auto file = LoadProfiles();
  if (!file.ok()) return file.status();
  Profile p = g.flags;
  if (p.server.empty() || p.ca.empty() || p.cert.empty() || p.key.empty())
    return absl::InvalidArgumentError(
        "profile save needs --server, --ca, --cert and --key (before `profile`)");
  p = Profile{p.server, Absolute(p.ca), Absolute(p.cert), Absolute(p.key)};
  file->profiles[name] = p;
  if (make_default || file->default_name.empty()) file->default_name = name;
  if (auto st = SaveProfiles(*file); !st.ok()) return st;
  std::cout << "saved profile " << name << " in " << ProfilePath()
            << (file->default_name == name ? " (default)" : "") << "\n";
  return absl::OkStatus();
}

absl::Status List(const Globals& g) {
  auto file = LoadProfiles();
  if (!file.ok()) return file.status();
  for (const auto& [name, p] : file->profiles)
    std::cout << (name == file->default_name ? "* " : "  ") << name << "\t" << p.server << "\t"
              << p.cert << "\n";
  if (file->profiles.empty()) std::cout << "no profiles in " << ProfilePath() << "\n";
  return absl::OkStatus();
}

absl::Status Use(const std::string& name) {
  auto file = LoadProfiles();
  if (!file.ok()) return file.status();
  if (!file->profiles.contains(name))
    return absl::NotFoundError("profile \"" + name + "\" not found in " + ProfilePath());
  file->default_name = name;
  return SaveProfiles(*file);
}

}  // namespace

void AddProfileCommands(CLI::App& app, Globals& g, Action& action) {
  auto* cmd = app.add_subcommand("profile", "Save connection settings under a name");
  cmd->require_subcommand(1);
  auto* save = cmd->add_subcommand("save", "Save the global --server/--ca/--cert/--key under NAME");
  auto name = std::make_shared<std::string>();
  auto make_default = std::make_shared<bool>(false);
  save->add_option("name", *name, "Profile name")->required();
  save->add_flag("--default", *make_default, "Make it the default profile");
  save->callback([&g, &action, name, make_default] {
    action = [&g, name, make_default] { return Save(g, *name, *make_default); };
  });
  cmd->add_subcommand("list", "List saved profiles (* marks the default)")->callback([&g, &action] {
    action = [&g] { return List(g); };
  });
  auto* use = cmd->add_subcommand("use", "Make NAME the default profile");
  auto use_name = std::make_shared<std::string>();
  use->add_option("name", *use_name, "Profile name")->required();
  use->callback([&action, use_name] { action = [use_name] { return Use(*use_name); }; });
}

}  // namespace bidopen::client
