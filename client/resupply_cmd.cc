// bidctl opening resupply T/L --file SEALED (review 4 R5; docs/protocol.md
// "Re-supplying a sealed file"): the bidder whose stored file the opening's
// start found altered puts back the sealed file it submitted, during the
// decryption window. The server checks it against the SHA-256 the bidder
// signed and logs BidFileRestored; the bid is then read like any other.
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/opening_text.h"
#include "client/opening_view.h"
#include "client/resupply.h"
#include "core/crypto/sha256.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

constexpr size_t kResupplyChunk = 256 * 1024;

struct ResupplyFlags {
  LotFlags lot;
  std::string file;
};

// The bid GetMyBid names, refused early when there is nothing to put back.
absl::StatusOr<v1::MyBid> MyStoredBid(const Session& s, const LotName& lot) {
  auto stub = v1::OpeningService::NewStub(s.channel);
  v1::MyBid mine;
  BO_RETURN_IF_ERROR(s.Check(stub->GetMyBid(CallContext().get(), ToRef(lot), &mine)));
  if (!mine.has_stored_matched_at_start())
    return absl::FailedPreconditionError(
        absl::StrCat("your bid #", mine.bid(),
                     " was not revealed yet: the opening's start checks the stored "
                     "file; there is nothing to put back before it"));
  if (mine.stored_matched_at_start())
    return absl::FailedPreconditionError(
        absl::StrCat("your bid #", mine.bid(),
                     "'s stored file matched your signed SHA-256 when the opening started: there "
                     "is nothing to put back"));
  if (mine.restored())
    return absl::FailedPreconditionError(
        absl::StrCat("your bid #", mine.bid(), "'s sealed file was put back already"));
  return mine;
}

}  // namespace

absl::StatusOr<v1::ResupplyResult> ResupplySealedFile(const Session& s, const LotName& lot,
                                                      uint64_t bid, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the sealed file ", path));
  auto stub = v1::OpeningService::NewStub(s.channel);
  grpc::ClientContext ctx;
  v1::ResupplyResult result;
  auto writer = stub->ResupplyBid(&ctx, &result);
  v1::ResupplyRequest msg;
  *msg.mutable_bid()->mutable_lot() = ToRef(lot);
  msg.mutable_bid()->set_bid(bid);
  std::string buf(kResupplyChunk, '\0');
  bool first = true;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const size_t n = static_cast<size_t>(in.gcount());
    if (n == 0 && !first) break;
    msg.set_data(buf.substr(0, n));
    if (!writer->Write(msg)) break;  // Finish says why
    msg.clear_bid();
    first = false;
  }
  writer->WritesDone();
  BO_RETURN_IF_ERROR(s.Check(writer->Finish()));
  return result;
}

void PrintResupplied(std::ostream& out, const v1::ResupplyResult& r, uint64_t bid) {
  out << "Put back: the sealed file of your bid #" << bid << " (" << r.size() << " bytes, SHA-256 "
      << crypto::Hex(r.sha256()) << ") is the one you signed (log #" << r.seq() << ")\n";
}

namespace {

absl::Status Resupply(const Globals& g, const ResupplyFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::MyBid mine, MyStoredBid(s, lot));
  BO_ASSIGN_OR_RETURN(v1::ResupplyResult r, ResupplySealedFile(s, lot, mine.bid(), f.file));
  if (g.json) return PrintJson(r), absl::OkStatus();
  PrintResupplied(std::cout, r, mine.bid());
  std::cout << "  the server reads it like any other bid's once the releases recover its "
               "secret; release your key as usual (bidctl opening decrypt)\n";
  return absl::OkStatus();
}

}  // namespace

void AddOpeningResupplyCommand(CLI::App& opening, Globals& g, Action& action) {
  auto f = std::make_shared<ResupplyFlags>();
  auto* cmd = opening.add_subcommand(
      "resupply",
      "Bidder: put back your sealed bid file when the opening's start found the stored copy "
      "altered (during the decryption window); the server checks it against the SHA-256 you "
      "signed");
  AddLotArgument(*cmd, f->lot);
  cmd->add_option("--file", f->file, "The sealed bid file you submitted (bid seal's output)")
      ->required();
  cmd->callback([&g, &action, f] { action = [&g, f] { return Resupply(g, *f); }; });
}

}  // namespace bidopen::client
