// bidctl opening resupply T/L --file SEALED (review 4 R5; docs/protocol.md
// "Re-supplying a sealed file"): the bidder whose stored file the opening's
// start found altered puts back the sealed file it submitted, in the
// re-supply period at the start of the decryption window. The server checks it against the SHA-256
// the bidder signed and logs BidFileRestored; the bid is then read like any other.
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/local_identity.h"
#include "client/opening_text.h"
#include "client/opening_view.h"
#include "client/resupply.h"
#include "client/verified_lot.h"
#include "core/crypto/sha256.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

constexpr size_t kResupplyChunk = 256 * 1024;

struct ResupplyFlags {
  LotFlags lot;
  std::string file;
};

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

absl::StatusOr<const v1::BidEntry*> AlteredBidOf(const v1::Lot& lot,
                                                 const std::string& fingerprint) {
  for (const v1::BidEntry& b : lot.bids()) {
    if (!b.has_opening() || b.opening().bidder().fingerprint() != fingerprint) continue;
    const v1::BidOpening& o = b.opening();
    if (o.stored_matched_at_start())
      return absl::FailedPreconditionError(
          absl::StrCat("your bid #", b.seq(),
                       "'s stored file matched your signed SHA-256 when the opening started (the "
                       "verified log says so): there is nothing to put back"));
    if (o.restored_seq() != 0)
      return absl::FailedPreconditionError(
          absl::StrCat("your bid #", b.seq(), "'s sealed file was put back already (log #",
                       o.restored_seq(), ")"));
    return &b;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "the verified log reveals no bid of yours in lot ", lot.number(),
      ": the opening's start checks the stored file; there is nothing to put back before it"));
}

void PrintResupplied(std::ostream& out, const v1::ResupplyResult& r, uint64_t bid) {
  out << "Put back: the sealed file of your bid #" << bid << " (" << r.size() << " bytes, SHA-256 "
      << crypto::Hex(r.sha256()) << ") is the one you signed (log #" << r.seq() << ")\n";
}

namespace {

absl::Status Resupply(const Globals& g, const ResupplyFlags& f) {
  BO_ASSIGN_OR_RETURN(LotName lot, ParseLotName(f.lot.lot, f.lot.lot_flag));
  BO_ASSIGN_OR_RETURN(Session s, Session::Open(g));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  // Whether the file needs putting back is the verified log's word, never
  // the server's unsigned status (review 7 U3).
  BO_ASSIGN_OR_RETURN(VerifiedLot verified, FetchVerifiedLot(g, s, lot));
  BO_ASSIGN_OR_RETURN(const v1::BidEntry* mine, AlteredBidOf(verified.lot, me.fingerprint()));
  BO_ASSIGN_OR_RETURN(v1::ResupplyResult r, ResupplySealedFile(s, lot, mine->seq(), f.file));
  if (g.json) return PrintJson(r), absl::OkStatus();
  PrintResupplied(std::cout, r, mine->seq());
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
      "altered (in the re-supply period that starts the decryption window; no key is released "
      "before it ends); the server checks it against the SHA-256 you signed");
  AddLotArgument(*cmd, f->lot);
  cmd->add_option("--file", f->file, "The sealed bid file you submitted (bid seal's output)")
      ->required();
  cmd->callback([&g, &action, f] { action = [&g, f] { return Resupply(g, *f); }; });
}

}  // namespace bidopen::client
