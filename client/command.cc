#include "client/command.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

namespace bidopen::client {

absl::StatusOr<Profile> ResolveGlobals(const Globals& g) {
  std::string name = g.profile;
  if (const char* env = std::getenv("BIDOPEN_PROFILE"); name.empty() && env) name = env;
  return ResolveProfile(g.flags, name);
}

absl::StatusOr<Session> Session::Open(const Globals& g) {
  auto profile = ResolveGlobals(g);
  if (!profile.ok()) return profile.status();
  auto channel = Connect(*profile);
  if (!channel.ok()) return channel.status();
  return Session{*std::move(profile), *std::move(channel)};
}

void PrintJson(const google::protobuf::Message& msg) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(msg, &out, opts);
  std::cout << out;
}

}  // namespace bidopen::client
