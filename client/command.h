// What every bidctl command shares: global options, the session they open,
// and how a command hands its work back to main.
#ifndef BIDOPEN_CLIENT_COMMAND_H_
#define BIDOPEN_CLIENT_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/connection.h"
#include "client/profile.h"
#include "google/protobuf/message.h"

namespace bidopen::client {

struct Globals {
  Profile flags;
  std::string profile;  // --profile, else $BIDOPEN_PROFILE, else the default profile
  bool json = false;
};

// The profile the global options and --profile / $BIDOPEN_PROFILE select,
// without connecting (for commands that also work offline).
absl::StatusOr<Profile> ResolveGlobals(const Globals& g);

// A command's work, run by main after parsing; its error becomes the exit status.
using Action = std::function<absl::Status()>;

struct Session {
  Profile profile;
  std::shared_ptr<grpc::Channel> channel;

  static absl::StatusOr<Session> Open(const Globals& g);
  absl::Status Check(const grpc::Status& st) const { return FromGrpc(st, profile); }
};

// A lot named on the command line: "T-XXXXXXXXXX/1", or the tender id with --lot.
struct LotFlags {
  std::string lot;
  int lot_flag = 0;  // --lot; 0: not given
};
// Adds the positional `lot` and --lot to a command.
void AddLotArgument(CLI::App& cmd, LotFlags& f);

// Prints a message as JSON (proto field names) on stdout.
void PrintJson(const google::protobuf::Message& msg);

void AddProfileCommands(CLI::App& app, Globals& g, Action& action);
void AddTenderCommands(CLI::App& app, Globals& g, Action& action);
void AddIdentityCommands(CLI::App& app, Globals& g, Action& action);
void AddAuditCommands(CLI::App& app, Globals& g, Action& action);
void AddBidCommands(CLI::App& app, Globals& g, Action& action);
// Under `bid`: submit (client/submit_cmd.cc), withdraw and list (client/my_bids_cmd.cc).
void AddBidSubmitCommand(CLI::App& bid, Globals& g, Action& action);
void AddBidCheckCommand(CLI::App& bid, Globals& g, Action& action);
void AddMyBidsCommands(CLI::App& bid, Globals& g, Action& action);
void AddReceiptCommands(CLI::App& app, Globals& g, Action& action);
// The opening (client/opening_cmd.cc); under it `decrypt` (client/bidder_release_cmd.cc).
void AddOpeningCommands(CLI::App& app, Globals& g, Action& action);
void AddOpeningDecryptCommand(CLI::App& opening, Globals& g, Action& action);
// `opening resupply` (client/resupply_cmd.cc): put back a file the start found altered.
void AddOpeningResupplyCommand(CLI::App& opening, Globals& g, Action& action);
// Under `opening`: the live hall (client/hall_cmd.cc).
void AddHallCommands(CLI::App& opening, Globals& g, Action& action);
// `opening watch` (client/watch_cmd.cc).
void AddOpeningWatchCommand(CLI::App& opening, Globals& g, Action& action);
// custody release (client/custody_cmd.cc).
void AddCustodyCommands(CLI::App& app, Globals& g, Action& action);
// Under `bid`: fetch an opened bid's documents (client/bid_fetch_cmd.cc).
void AddBidFetchCommand(CLI::App& bid, Globals& g, Action& action);
// Under `audit`: check-bid (client/audit_check_bid_cmd.cc).
void AddAuditCheckBidCommand(CLI::App& audit, Globals& g, Action& action);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_COMMAND_H_
