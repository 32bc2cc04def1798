// bidctl: the command-line client of bidopen.
#include <CLI/CLI.hpp>
#include <iostream>

#include "client/command.h"
#include "client/suggest.h"

int main(int argc, char** argv) {
  using namespace bidopen::client;
  CLI::App app{
      "bidctl: seal and submit bids, run tenders and openings, audit the log.\n"
      "Connection options may be saved once with `bidctl profile save`."};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command
  Globals g;
  app.add_option("--server", g.flags.server, "bidopend address, host:port");
  app.add_option("--ca", g.flags.ca, "CA certificate of the server (PEM)");
  app.add_option("--cert", g.flags.cert, "Your client certificate (PEM)");
  app.add_option("--key", g.flags.key, "Your private key (PEM)");
  app.add_option("-p,--profile", g.profile, "Saved profile to use (see `profile list`)");
  app.add_flag("--json", g.json, "Machine-readable JSON output");
  Action action;
  AddProfileCommands(app, g, action);
  AddIdentityCommands(app, g, action);
  AddTenderCommands(app, g, action);
  AddBidCommands(app, g, action);
  AddReceiptCommands(app, g, action);
  AddAuditCommands(app, g, action);
  AddOpeningCommands(app, g, action);
  AddCustodyCommands(app, g, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0)
      if (auto unknown = UnknownCommandMessage(app)) {
        std::cerr << *unknown << "\n";
        return 2;
      }
    return app.exit(e);
  }
  absl::Status st = action ? action() : absl::OkStatus();
  if (st.ok()) return 0;
  std::cerr << "bidctl: " << absl::StatusCodeToString(st.code()) << ": " << st.message() << "\n";
  return 1;
}
